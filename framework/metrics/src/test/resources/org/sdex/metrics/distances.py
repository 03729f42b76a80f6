"""Reference values for sdex's feature distances, with numpy and scipy (Debian's python3-scipy).

  python3 distances.py A.npy B.npy OUT.json -> {"fid": ..., "mmd2": ...}
  fid: |mu_a - mu_b|^2 + tr(Sa) + tr(Sb) - 2 tr(sqrtm(Sa Sb)) with scipy.linalg.sqrtm, as FID papers compute it
  mmd2: the unbiased squared MMD of all rows with the kernel (x.y / d + 1)^3
"""
import json
import sys

import numpy as np
from scipy import linalg

a, b = np.load(sys.argv[1]).astype(np.float64), np.load(sys.argv[2]).astype(np.float64)
mu_a, mu_b = a.mean(0), b.mean(0)
sa, sb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
root, _ = linalg.sqrtm(sa.dot(sb), disp=False)
fid = float(((mu_a - mu_b) ** 2).sum() + np.trace(sa) + np.trace(sb) - 2 * np.trace(root.real))
d = a.shape[1]
k = lambda x, y: (x @ y.T / d + 1) ** 3
kxx, kyy, kxy = k(a, a), k(b, b), k(a, b)
m, n = len(a), len(b)
mmd2 = (kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1)) - 2 * kxy.mean()
json.dump({'fid': fid, 'mmd2': float(mmd2)}, open(sys.argv[3], 'w'))
