"""Writes PyTorch files for sdex's interop tests (run by the tests with Debian's python3-torch).

  python3 torch_files.py tensors OUT.pth            -> a plain state dict of assorted dtypes, strides and shapes,
                                                       its values as OUT.pth.json
  python3 torch_files.py hostile OUT_DIR MARKER     -> pickles that would run code in Python (each would create MARKER)
  python3 torch_files.py load FILE.pth OUT.json     -> torch.load(FILE, weights_only=True) as {name: [shape, values]}
  python3 torch_files.py safetensors OUT.st         -> a safetensors file written by hand from the spec, values as OUT.st.json
  python3 torch_files.py parse_safetensors FILE OUT.json -> the spec's reading of FILE, as {name: [dtype, shape, values]}
  python3 torch_files.py synthetic OUT.pth           -> a score_sde_pytorch-layout checkpoint of a toy module with the
                                                       untrained tensors score_sde's have (sigmas buffer, Fourier W),
                                                       its EMA weights by name as OUT.pth.json
  python3 torch_files.py reference PORT_DIR CONFIG.json OUT_DIR
                                                    -> a score_sde_pytorch-layout checkpoint of the port's network
                                                       (DataParallel names, EMA list, Adam state) and its outputs
"""
import collections
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn


def values(t):
    return [list(t.shape), t.detach().to(torch.float64).flatten().tolist()]


def tensors(out):
    torch.manual_seed(0)
    base = torch.randn(4, 6)
    d = collections.OrderedDict()
    d['f32'] = torch.randn(3, 5)
    d['f64'] = torch.randn(2, 2, dtype=torch.float64)
    d['f16'] = torch.randn(7).half()
    d['bf16'] = torch.randn(3).bfloat16()
    d['i64'] = torch.arange(-3, 9).reshape(3, 4)
    d['transposed'] = base.t()            # a non-contiguous view of base's storage
    d['sliced'] = base[1:3, 2:5]          # an offset into the same storage
    d['base'] = base
    d['scalar'] = torch.tensor(2.5)
    d['empty'] = torch.zeros(0, 3)
    torch.save(d, out)
    json.dump({k: values(v) for k, v in d.items()}, open(out + '.json', 'w'))


class Payload:
    """Unpickled by Python, this runs a shell command."""
    def __init__(self, cmd):
        self.cmd = cmd

    def __reduce__(self):
        return (os.system, (self.cmd,))


class Eval:
    def __init__(self, code):
        self.code = code

    def __reduce__(self):
        return (eval, (self.code,))


def hostile(out_dir, marker):
    os.makedirs(out_dir, exist_ok=True)
    torch.save({'w': torch.ones(2), 'x': Payload('touch ' + marker)}, os.path.join(out_dir, 'reduce_system.pth'))
    torch.save(collections.OrderedDict(w=Eval("open(%r, 'w').write('x')" % marker)), os.path.join(out_dir, 'reduce_eval.pth'))
    torch.save({'w': np.ones(3)}, os.path.join(out_dir, 'numpy_array.pth'))
    # legal in PyTorch: a view of one stored value with 2**31 elements (stride 0)
    torch.save({'w': torch.zeros(1).expand(2 ** 31)}, os.path.join(out_dir, 'expanded.pth'))


def load(path, out):
    d = torch.load(path, weights_only=True)
    json.dump({k: values(v) for k, v in d.items()}, open(out, 'w'))


def safetensors(out):
    arrays = collections.OrderedDict()
    arrays['a'] = np.arange(6, dtype='<f4').reshape(2, 3)
    arrays['b'] = np.array([1.5, -2.0], dtype='<f8')
    arrays['c'] = np.arange(4, dtype='<i8')
    header, offset, blobs = {'__metadata__': {'format': 'pt'}}, 0, []
    names = {'<f4': 'F32', '<f8': 'F64', '<i8': 'I64'}
    for k, a in arrays.items():
        b = a.tobytes()
        header[k] = {'dtype': names[a.dtype.str], 'shape': list(a.shape), 'data_offsets': [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    with open(out, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    json.dump({k: [list(a.shape), a.astype(np.float64).flatten().tolist()] for k, a in arrays.items()}, open(out + '.json', 'w'))


def parse_safetensors(path, out):
    types = {'F32': '<f4', 'F64': '<f8', 'I64': '<i8', 'F16': '<f2'}
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    result = {}
    for k, v in header.items():
        if k == '__metadata__':
            result[k] = v
            continue
        b, e = v['data_offsets']
        a = np.frombuffer(data[b:e], dtype=types[v['dtype']]).reshape(v['shape'])
        result[k] = [v['dtype'], list(a.shape), a.astype(np.float64).flatten().tolist()]
    json.dump(result, open(out, 'w'))


class Fourier(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = nn.Parameter(torch.randn(6), requires_grad=False)  # as score_sde's Gaussian Fourier projection


class Toy(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer('sigmas', torch.linspace(0.01, 50, 5))
        self.all_modules = nn.ModuleList([Fourier(), nn.Linear(3, 4), nn.Conv2d(4, 2, 3)])


def synthetic(out):
    torch.manual_seed(1)
    net = Toy()
    trainable = [p for p in net.parameters() if p.requires_grad]
    ema = [p.detach().clone() + 10 * (i + 1) for i, p in enumerate(trainable)]
    opt = torch.optim.Adam(trainable, lr=1e-3)
    sum(p.sum() for p in trainable).backward()
    opt.step()
    torch.save({'optimizer': opt.state_dict(), 'model': torch.nn.DataParallel(net).state_dict(),
                'ema': {'decay': 0.999, 'num_updates': 3, 'shadow_params': ema}, 'step': 3}, out)
    names = [n for n, p in net.named_parameters() if p.requires_grad]
    json.dump({n: values(e) for n, e in zip(names, ema)}, open(out + '.json', 'w'))


def reference(port_dir, config_path, out_dir):
    sys.path.insert(0, port_dir)
    from torch_ncsnpp import Ncsnpp
    torch.manual_seed(0)
    config = json.load(open(config_path))
    net = Ncsnpp(config)
    x = torch.randn(2, config['channels'], config['resolution'], config['resolution'])
    labels = torch.tensor([30.0, 700.0])
    opt = torch.optim.Adam(net.parameters(), lr=2e-4)
    net(x, labels).pow(2).mean().backward()
    opt.step()  # the optimizer now has state, as a real checkpoint's has
    trainable = [p for p in net.parameters() if p.requires_grad]
    ema = [p.detach().clone() * 0.5 + 0.01 for p in trainable]
    state = {'optimizer': opt.state_dict(), 'model': torch.nn.DataParallel(net).state_dict(),
             'ema': {'decay': 0.9999, 'num_updates': 1, 'shadow_params': ema}, 'step': 1}
    torch.save(state, os.path.join(out_dir, 'checkpoint_1.pth'))
    net.eval()
    with torch.no_grad():
        np.save(os.path.join(out_dir, 'out_model.npy'), net(x, labels).numpy())
        for p, s in zip(trainable, ema):
            p.copy_(s)
        np.save(os.path.join(out_dir, 'out_ema.npy'), net(x, labels).numpy())
    np.save(os.path.join(out_dir, 'x.npy'), x.numpy())
    np.save(os.path.join(out_dir, 'labels.npy'), labels.numpy())


if __name__ == '__main__':
    mode = sys.argv[1]
    {'tensors': tensors, 'hostile': hostile, 'load': load, 'safetensors': safetensors,
     'parse_safetensors': parse_safetensors, 'synthetic': synthetic, 'reference': reference}[mode](*sys.argv[2:])
