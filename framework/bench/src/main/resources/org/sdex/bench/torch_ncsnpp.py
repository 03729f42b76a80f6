"""The NCSN++/DDPM++ score network in PyTorch, for `sdex bench network`.

Written for sdex from the architecture of Song et al. 2021 (score_sde_pytorch's NCSNpp): the same
modules in the same order, with the same state-dict names and shapes as sdex's SameDiff network, so
weights exported by sdex as .npy files load here unchanged. Covers what the benchmark configurations
use: BigGAN or DDPM residual blocks without FIR, no progressive paths, positional or Fourier
noise embedding, GroupNorm, swish, self-attention.

  python3 torch_ncsnpp.py count  CONFIG.json            -> {"parameters": N}
  python3 torch_ncsnpp.py check  CONFIG.json DIR        -> output of the network on DIR/x.npy, DIR/labels.npy
                                                           with the weights DIR/weights/<name>.npy, to DIR/torch_out.npy
  python3 torch_ncsnpp.py serve  CONFIG.json THREADS   -> a long-lived process timing on request: one JSON request
                                                           per line on stdin ({"cmd": "time", "what": "forward", "batch": 32},
                                                           info, peak, flops, rss, quit), one `sdex-bench {JSON}` line
                                                           on stdout per request (after a first one with the parameter count)
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
from torch.utils._python_dispatch import TorchDispatchMode


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


class FlopCounter(TorchDispatchMode):
    """Multiply-adds x 2 of every convolution and matrix product that reaches ATen's dispatcher,
    backward ones included (each convolution_backward counts only the gradients autograd asks for).
    Elementwise work, normalisation and softmax are not counted: they are not sgemm-like."""

    def __init__(self):
        super().__init__()
        self.flops = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        name = func.overloadpacket.__name__
        if name == 'convolution':
            self.flops += 2 * out.numel() * args[1][0].numel()
        elif name == 'convolution_backward':
            grad_out, weight, mask = args[0], args[2], args[-1]
            per = 2 * grad_out.numel() * weight[0].numel()
            self.flops += per * (int(mask[0]) + int(mask[1]))
        elif name in ('mm', 'addmm'):
            a, b = args[-2], args[-1]
            self.flops += 2 * a.shape[0] * a.shape[1] * b.shape[1]
        elif name in ('bmm', 'baddbmm'):
            a, b = args[-2], args[-1]
            self.flops += 2 * a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2]
        return out


class Sde:
    """The reference's VP and sub-VP SDEs (sde_lib.py): drift -beta(t) x / 2, diffusion, marginal std."""

    def __init__(self, kind, beta_min, beta_max):
        self.kind, self.b0, self.b1 = kind, beta_min, beta_max

    def beta(self, t):
        return self.b0 + t * (self.b1 - self.b0)

    def diffusion(self, t):
        if self.kind == 'vp':
            return math.sqrt(self.beta(t))
        return math.sqrt(self.beta(t) * (1.0 - math.exp(-2.0 * self.b0 * t - (self.b1 - self.b0) * t * t)))

    def mean_coeff(self, t):
        return torch.exp(-0.25 * t * t * (self.b1 - self.b0) - 0.5 * t * self.b0)

    def std(self, t):
        e = torch.exp(-0.5 * t * t * (self.b1 - self.b0) - t * self.b0)
        return torch.sqrt(1.0 - e) if self.kind == 'vp' else 1.0 - e


class Workloads:
    """What the benchmark times on the PyTorch side, one call per timed run: the network's passes on
    fixed inputs, the reference's training loop and its Euler-Maruyama sampler."""

    def __init__(self, net, c):
        self.net, self.c = net, c
        self.batch = None

    def shape(self, batch):
        return (batch, self.c['channels'], self.c['resolution'], self.c['resolution'])

    def inputs(self, batch):
        if self.batch != batch:
            torch.manual_seed(0)
            self.x, self.z, self.v = torch.randn(self.shape(batch)), torch.randn(self.shape(batch)), torch.randn(self.shape(batch))
            self.label = torch.rand(batch) * 999 + (0.01 if self.c['fourier'] else 0.0)
            self.opt = torch.optim.Adam(self.net.parameters(), lr=2e-4)
            self.batch = batch

    def forward(self):
        self.net.eval()
        with torch.no_grad():
            self.net(self.x, self.label)

    def train_step(self):
        self.net.train()
        self.opt.zero_grad(set_to_none=True)
        loss = ((self.net(self.x, self.label) - self.z) ** 2).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.net.parameters(), 1.0)
        self.opt.step()

    def input_vjp(self):
        self.net.eval()
        xi = self.x.clone().requires_grad_(True)
        (g,) = torch.autograd.grad((self.net(xi, self.label) * self.v).sum(), xi)
        return g

    def training(self, r):
        """r['steps'] iterations of the reference's losses.py (continuous DSM, reduce_mean) and
        optimization_manager (Adam, linear warm-up, clipping) with its EMA; the data are draws of
        N(0, I) in the images' shape (drawing them is not what is timed on either side)."""
        net, sde, batch = self.net, Sde(r['sde'], r['betaMin'], r['betaMax']), r['batch']
        net.train()
        opt = torch.optim.Adam(net.parameters(), lr=r['lr'], betas=(0.9, 0.999), eps=1e-8, weight_decay=0)
        shadow = [p.detach().clone() for p in net.parameters()]
        for step in range(1, r['steps'] + 1):
            x0 = torch.randn(self.shape(batch))
            t = torch.rand(batch) * (1.0 - r['eps']) + r['eps']
            z = torch.randn_like(x0)
            xt = sde.mean_coeff(t)[:, None, None, None] * x0 + sde.std(t)[:, None, None, None] * z
            eps_hat = net(xt, t * 999)
            # the reference's (score * std + z)^2 with score = -eps_hat / std, mean over pixels, then over the batch
            loss = torch.mean(torch.mean(((z - eps_hat) ** 2).reshape(batch, -1), dim=-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            for g in opt.param_groups:
                g['lr'] = r['lr'] * min(step / r['warmup'], 1.0) if r['warmup'] > 0 else r['lr']
            torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=r['gradClip'])
            opt.step()
            decay = min(r['ema'], (1 + step) / (10 + step))
            with torch.no_grad():
                for s, p in zip(shadow, net.parameters()):
                    s.sub_((1 - decay) * (s - p))

    def sampling(self, r):
        """The reference's Euler-Maruyama predictor without corrector (sampling.py): r['steps'] steps
        from T = 1 to eps, the last one without noise (denoise)."""
        net, sde, batch, steps = self.net, Sde(r['sde'], r['betaMin'], r['betaMax']), r['batch'], r['steps']
        net.eval()
        with torch.no_grad():
            x = torch.randn(self.shape(batch))
            dt = -1.0 / steps
            for i in range(steps):
                t = 1.0 + (r['eps'] - 1.0) * i / max(steps - 1, 1)
                tt = torch.full((batch,), t)
                score = -net(x, tt * 999) / sde.std(tt)[:, None, None, None]
                g = sde.diffusion(t)
                mean = x + (-0.5 * sde.beta(t) * x - g * g * score) * dt
                x = mean if i == steps - 1 else mean + g * math.sqrt(-dt) * torch.randn_like(x)


def counted(fn):
    with FlopCounter() as c:
        fn()
    return c.flops


def sgemm_gflops(n, reps=3):
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best = float('inf')
    for _ in range(reps):
        s = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - s)
    return 2.0 * n ** 3 / best / 1e9


def build_info():
    """What a reader needs to judge the PyTorch column: version, build, threads, the allocator it ran with."""
    shown = torch.__config__.show()

    def line(key):
        for l in shown.splitlines():
            if key in l:
                return l.strip(' -')
        return 'not reported'

    blas = [p for p in shown.replace(',', ' ').split() if p.startswith('BLAS_INFO=')]
    return {'torch': torch.__version__, 'onednn': line('MKL-DNN'), 'openmp': line('OpenMP'), 'cpu': line('CPU capability'),
            'blas': blas[0].split('=', 1)[1] if blas else 'not reported', 'threads': torch.get_num_threads(),
            'allocatorEnv': {k: v for k, v in os.environ.items() if k.startswith('MALLOC_') or k == 'LD_PRELOAD'},
            'ompNumThreads': os.environ.get('OMP_NUM_THREADS', '')}


def serve(net, c, inp, out):
    """The line protocol of `serve`: one JSON request per line in, one `sdex-bench {JSON}` line out."""
    w = Workloads(net, c)
    passes = {'forward': w.forward, 'trainStep': w.train_step, 'inputVjp': w.input_vjp}
    for raw in inp:
        if not raw.strip():
            continue
        try:
            r = json.loads(raw)
            cmd = r['cmd']
            if cmd == 'quit':
                reply = {'bye': True}
            elif cmd == 'info':
                reply = build_info()
            elif cmd == 'peak':
                reply = {'gflops': sgemm_gflops(r['n'])}
            elif cmd == 'flops':
                w.inputs(r['batch'])
                reply = {k: counted(f) / r['batch'] for k, f in passes.items()}
            elif cmd == 'rss':
                reply = {'peakRssMB': peak_rss_mb()}
            elif cmd == 'time':
                what = r['what']
                if what in passes:
                    w.inputs(r['batch'])
                    fn = passes[what]
                elif what == 'training':
                    fn = lambda: w.training(r)
                elif what == 'sampling':
                    fn = lambda: w.sampling(r)
                else:
                    raise ValueError('nothing to time called ' + what)
                s = time.perf_counter()
                fn()
                reply = {'ms': (time.perf_counter() - s) * 1e3}
            else:
                raise ValueError('unknown request ' + cmd)
        except Exception as e:  # the caller gets one line, and may go on
            reply = {'error': '%s: %s' % (type(e).__name__, e)}
        out.write('sdex-bench ' + json.dumps(reply) + '\n')
        out.flush()
        if r.get('cmd') == 'quit':
            return


def main():
    mode, config = sys.argv[1], json.load(open(sys.argv[2]))
    if mode == 'serve':
        torch.set_num_threads(int(sys.argv[3]))
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
    elif mode == 'serve':
        print('sdex-bench ' + json.dumps({'parameters': trainable(net)}), flush=True)
        serve(net, config, sys.stdin, sys.stdout)
    else:
        raise SystemExit('unknown mode ' + mode)


if __name__ == '__main__':
    main()
