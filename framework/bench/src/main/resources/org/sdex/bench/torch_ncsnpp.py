"""The NCSN++/DDPM++ score network in PyTorch, for `sdex bench network`.

Written for sdex from the architecture of Song et al. 2021 (score_sde_pytorch's NCSNpp): the same
modules in the same order, with the same state-dict names and shapes as sdex's SameDiff network, so
weights exported by sdex as .npy files load here unchanged. Covers what the benchmark configurations
use: BigGAN or DDPM residual blocks without FIR, no progressive paths, positional or Fourier
noise embedding, GroupNorm, swish, self-attention.

  python3 torch_ncsnpp.py count  CONFIG.json            -> {"parameters": N}
  python3 torch_ncsnpp.py check  CONFIG.json DIR        -> output of the network on DIR/x.npy, DIR/labels.npy
                                                           with the weights DIR/weights/<name>.npy, to DIR/torch_out.npy
  python3 torch_ncsnpp.py bench  CONFIG.json BATCH ITERS -> timings (ms) and peak RSS (MB) as JSON
"""
import json
import math
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def group_norm(channels):
    return nn.GroupNorm(num_groups=min(channels // 4, 32), num_channels=channels, eps=1e-6)


def conv3x3(cin, cout, stride=1, padding=1):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=padding)


def conv1x1(cin, cout):
    return nn.Conv2d(cin, cout, 1)


class NIN(nn.Module):
    """A 1x1 layer with weights W [in, out] and bias b."""

    def __init__(self, cin, cout):
        super().__init__()
        self.W = nn.Parameter(torch.randn(cin, cout) * 0.1)
        self.b = nn.Parameter(torch.zeros(cout))

    def forward(self, x):
        y = torch.einsum('bchw,co->bohw', x, self.W)
        return y + self.b[None, :, None, None]


class AttnBlock(nn.Module):
    def __init__(self, c, skip_rescale):
        super().__init__()
        self.GroupNorm_0 = group_norm(c)
        self.NIN_0, self.NIN_1, self.NIN_2, self.NIN_3 = NIN(c, c), NIN(c, c), NIN(c, c), NIN(c, c)
        self.skip_rescale = skip_rescale

    def forward(self, x):
        b, c, h, w = x.shape
        n = self.GroupNorm_0(x)
        q, k, v = self.NIN_0(n), self.NIN_1(n), self.NIN_2(n)
        a = torch.einsum('bci,bcj->bij', q.reshape(b, c, h * w), k.reshape(b, c, h * w)) * (c ** -0.5)
        a = torch.softmax(a, dim=-1)
        o = torch.einsum('bij,bcj->bci', a, v.reshape(b, c, h * w)).reshape(b, c, h, w)
        o = self.NIN_3(o)
        return (x + o) / math.sqrt(2.0) if self.skip_rescale else x + o


class ResBlock(nn.Module):
    """ResnetBlockBigGANpp (biggan: may resample, Conv_2 shortcut) or ResnetBlockDDPMpp (NIN_0 shortcut)."""

    def __init__(self, cin, cout, temb_dim, dropout, skip_rescale, biggan, up=False, down=False):
        super().__init__()
        self.GroupNorm_0 = group_norm(cin)
        self.Conv_0 = conv3x3(cin, cout)
        if temb_dim is not None:
            self.Dense_0 = nn.Linear(temb_dim, cout)
        self.GroupNorm_1 = group_norm(cout)
        self.Dropout_0 = nn.Dropout(dropout)
        self.Conv_1 = conv3x3(cout, cout)
        self.biggan, self.up, self.down, self.skip_rescale = biggan, up, down, skip_rescale
        if biggan:
            if cin != cout or up or down:
                self.Conv_2 = conv1x1(cin, cout)
        elif cin != cout:
            self.NIN_0 = NIN(cin, cout)
        self.cin, self.cout = cin, cout

    def forward(self, x, act_temb):
        h = F.silu(self.GroupNorm_0(x))
        if self.up:
            h = F.interpolate(h, scale_factor=2, mode='nearest')
            x = F.interpolate(x, scale_factor=2, mode='nearest')
        elif self.down:
            h = F.avg_pool2d(h, 2)
            x = F.avg_pool2d(x, 2)
        h = self.Conv_0(h)
        if act_temb is not None:
            h = h + self.Dense_0(act_temb)[:, :, None, None]
        h = self.Dropout_0(F.silu(self.GroupNorm_1(h)))
        h = self.Conv_1(h)
        if self.biggan:
            if self.cin != self.cout or self.up or self.down:
                x = self.Conv_2(x)
        elif self.cin != self.cout:
            x = self.NIN_0(x)
        return (x + h) / math.sqrt(2.0) if self.skip_rescale else x + h


class Downsample(nn.Module):
    def __init__(self, c, with_conv):
        super().__init__()
        if with_conv:
            self.Conv_0 = conv3x3(c, c, stride=2, padding=0)
        self.with_conv = with_conv

    def forward(self, x):
        if self.with_conv:
            return self.Conv_0(F.pad(x, (0, 1, 0, 1)))
        return F.avg_pool2d(x, 2)


class Upsample(nn.Module):
    def __init__(self, c, with_conv):
        super().__init__()
        if with_conv:
            self.Conv_0 = conv3x3(c, c)
        self.with_conv = with_conv

    def forward(self, x):
        x = F.interpolate(x, scale_factor=2, mode='nearest')
        return self.Conv_0(x) if self.with_conv else x


class Fourier(nn.Module):
    def __init__(self, n, scale):
        super().__init__()
        self.W = nn.Parameter(torch.randn(n) * scale, requires_grad=False)

    def forward(self, x):
        p = x[:, None] * self.W[None, :] * 2 * math.pi
        return torch.cat([torch.sin(p), torch.cos(p)], dim=-1)


def positional(t, dim):
    half = dim // 2
    f = torch.exp(torch.arange(half, dtype=torch.float32) * -(math.log(10000) / max(half - 1, 1)))
    a = t.float()[:, None] * f[None, :]
    e = torch.cat([torch.sin(a), torch.cos(a)], dim=1)
    return F.pad(e, (0, 1)) if dim % 2 == 1 else e


class Ncsnpp(nn.Module):
    def __init__(self, c):
        super().__init__()
        nf, ch_mult, nrb = c['nf'], c['chMult'], c['numResBlocks']
        self.c = c
        biggan = c['resblockType'] == 'biggan'
        skip = c['skipRescale']
        res = [c['resolution'] // (2 ** i) for i in range(len(ch_mult))]
        self.attn_at = [r in c['attnResolutions'] for r in res]
        temb_dim = 4 * nf if c['conditional'] else None
        m = []
        if c['fourier']:
            m.append(Fourier(nf, c['fourierScale']))
            embed = 2 * nf
        else:
            embed = nf
        if c['conditional']:
            m += [nn.Linear(embed, 4 * nf), nn.Linear(4 * nf, 4 * nf)]
        block = lambda i, o, **kw: ResBlock(i, o, temb_dim, c['dropout'], skip, biggan, **kw)
        m.append(conv3x3(c['channels'], nf))
        hs, cin = [nf], nf
        for lvl, mult in enumerate(ch_mult):
            for _ in range(nrb):
                m.append(block(cin, nf * mult))
                cin = nf * mult
                if self.attn_at[lvl]:
                    m.append(AttnBlock(cin, skip))
                hs.append(cin)
            if lvl != len(ch_mult) - 1:
                m.append(block(cin, cin, down=True) if biggan else Downsample(cin, c['resampWithConv']))
                hs.append(cin)
        cin = hs[-1]
        m += [block(cin, cin), AttnBlock(cin, skip), block(cin, cin)]
        for lvl in reversed(range(len(ch_mult))):
            for _ in range(nrb + 1):
                m.append(block(cin + hs.pop(), nf * ch_mult[lvl]))
                cin = nf * ch_mult[lvl]
            if self.attn_at[lvl]:
                m.append(AttnBlock(cin, skip))
            if lvl != 0:
                m.append(block(cin, cin, up=True) if biggan else Upsample(cin, c['resampWithConv']))
        m += [group_norm(cin), conv3x3(cin, c['channels'])]
        self.all_modules = nn.ModuleList(m)

    def forward(self, x, label):
        c, m, i = self.c, self.all_modules, 0
        if c['fourier']:
            temb = m[0](torch.log(label))
            i = 1
        else:
            temb = positional(label, c['nf'])
        act_temb = None
        if c['conditional']:
            temb = m[i + 1](F.silu(m[i](temb)))
            act_temb = F.silu(temb)
            i += 2
        if not c['centered']:
            x = 2 * x - 1
        hs = [m[i](x)]
        i += 1
        nrb, levels = c['numResBlocks'], len(c['chMult'])
        for lvl in range(levels):
            for _ in range(nrb):
                h = m[i](hs[-1], act_temb); i += 1
                if self.attn_at[lvl]:
                    h = m[i](h); i += 1
                hs.append(h)
            if lvl != levels - 1:
                blk = m[i]; i += 1
                hs.append(blk(hs[-1], act_temb) if isinstance(blk, ResBlock) else blk(hs[-1]))
        h = hs[-1]
        h = m[i](h, act_temb); h = m[i + 1](h); h = m[i + 2](h, act_temb); i += 3
        for lvl in reversed(range(levels)):
            for _ in range(nrb + 1):
                h = m[i](torch.cat([h, hs.pop()], dim=1), act_temb); i += 1
            if self.attn_at[lvl]:
                h = m[i](h); i += 1
            if lvl != 0:
                blk = m[i]; i += 1
                h = blk(h, act_temb) if isinstance(blk, ResBlock) else blk(h)
        h = F.silu(m[i](h))
        return m[i + 1](h)


def trainable(net):
    return sum(p.numel() for p in net.parameters() if p.requires_grad)


def peak_rss_mb():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent (the JVM) across fork and exec
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench(net, c, batch, iters):
    shape = (batch, c['channels'], c['resolution'], c['resolution'])
    torch.manual_seed(0)
    x = torch.randn(shape)
    label = torch.rand(batch) * 999 + (0.01 if c['fourier'] else 0.0)
    z = torch.randn(shape)
    v = torch.randn(shape)
    opt = torch.optim.Adam(net.parameters(), lr=2e-4)

    def forward():
        net.eval()
        with torch.no_grad():
            net(x, label)

    def train_step():
        net.train()
        opt.zero_grad(set_to_none=True)
        loss = ((net(x, label) - z) ** 2).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()

    def input_vjp():
        net.eval()
        xi = x.clone().requires_grad_(True)
        (g,) = torch.autograd.grad((net(xi, label) * v).sum(), xi)
        return g

    out = {}
    for name, fn in (('forward', forward), ('trainStep', train_step), ('inputVjp', input_vjp)):
        fn()  # warm-up
        t = []
        for _ in range(iters):
            s = time.perf_counter()
            fn()
            t.append((time.perf_counter() - s) * 1e3)
        out[name] = sorted(t)[len(t) // 2]
    out['peakRssMB'] = peak_rss_mb()
    return out


def sample(net, c, batch, steps, beta_min=0.1, beta_max=20.0, eps=1e-3):
    """The reference's Euler-Maruyama predictor on the VP SDE, no corrector, noise-free last step; wall ms."""
    shape = (batch, c['channels'], c['resolution'], c['resolution'])
    torch.manual_seed(0)
    net.eval()
    start = time.perf_counter()
    with torch.no_grad():
        x = torch.randn(shape)
        dt = -1.0 / steps
        for i in range(steps):
            t = 1.0 + (eps - 1.0) * i / (steps - 1)
            beta = beta_min + t * (beta_max - beta_min)
            std = math.sqrt(1.0 - math.exp(-0.5 * t * t * (beta_max - beta_min) - t * beta_min))
            score = -net(x, torch.full((batch,), t * 999.0)) / std
            mean = x + (-0.5 * beta * x - beta * score) * dt
            x = mean + math.sqrt(beta * -dt) * torch.randn(shape)
    return (time.perf_counter() - start) * 1e3


def main():
    torch.set_num_threads(int(os.environ.get('SDEX_BENCH_THREADS', '2')))
    mode, config = sys.argv[1], json.load(open(sys.argv[2]))
    net = Ncsnpp(config)
    if mode == 'count':
        print(json.dumps({'parameters': trainable(net)}))
    elif mode == 'check':
        d = sys.argv[3]
        state = net.state_dict()
        loaded = 0
        for name in state:
            f = os.path.join(d, 'weights', name + '.npy')
            if os.path.exists(f):
                a = torch.from_numpy(np.load(f).astype(np.float32))
                if tuple(a.shape) != tuple(state[name].shape):
                    raise SystemExit('weight %s: sdex shape %s, torch shape %s' % (name, tuple(a.shape), tuple(state[name].shape)))
                state[name] = a
                loaded += 1
            elif name.endswith('.W') and config['fourier']:
                pass
            else:
                raise SystemExit('no sdex weight for ' + name)
        net.load_state_dict(state)
        net.eval()
        x = torch.from_numpy(np.load(os.path.join(d, 'x.npy')))
        labels = torch.from_numpy(np.load(os.path.join(d, 'labels.npy')))
        with torch.no_grad():
            y = net(x, labels)
        np.save(os.path.join(d, 'torch_out.npy'), y.numpy())
        v = os.path.join(d, 'v.npy')
        if os.path.exists(v):  # the input VJP v^T d out / dx, by autograd
            xi = x.clone().requires_grad_(True)
            (g,) = torch.autograd.grad((net(xi, labels) * torch.from_numpy(np.load(v))).sum(), xi)
            np.save(os.path.join(d, 'torch_vjp.npy'), g.numpy())
        print(json.dumps({'loaded': loaded}))
    elif mode == 'sample':
        ms = sample(net, config, int(sys.argv[3]), int(sys.argv[4]))
        print(json.dumps({'ms': ms, 'peakRssMB': peak_rss_mb()}))
    elif mode == 'bench':
        r = bench(net, config, int(sys.argv[3]), int(sys.argv[4]))
        r['parameters'] = trainable(net)
        print(json.dumps(r))
    else:
        raise SystemExit('unknown mode ' + mode)


if __name__ == '__main__':
    main()
