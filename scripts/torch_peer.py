#!/usr/bin/env python3
"""PyTorch peer of cimle's CRN generator, for `./cimle bench`.

Reads <dir>/spec.json (architecture, written by the bench) and <dir>/peer.npz (our parameters under
"param/<DJL name>", a fixed input "layout"/"noise", our forward "output" and a "target"), then:
  1. runs the same forward on the same parameters and input and reports max |ours - peer|;
  2. times one training step (forward + L1 loss + backward + Adam) at the same batch and thread
     count, and a no-grad forward.
Prints one JSON line. Runs with Debian's python3-torch (1.13) under /usr/bin/python3.

The network, written out functionally so parameter names map 1:1 onto DJL's:
  encoder: [layout, noise] -> conv3x3 -> LN -> lrelu -> conv3x3 -> LN -> lrelu -> conv1x1 (bias)
  module i (coarsest first): [bilinear(prev), area(layout), bilinear(z)]; bilinear as cimle runs it
                             on DJL 0.33: align_corners=False with antialias=True
                             -> (conv3x3 no bias -> LN -> lrelu) x 2
  toRgb: conv1x1 with bias.
LN normalises over (C, H, W) per sample (biased variance, eps 1e-5), then a per-channel affine.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def layer_norm(x, gamma, beta):
    n = x.shape[0]
    flat = x.reshape(n, -1)
    mean = flat.mean(dim=1, keepdim=True)
    centred = flat - mean
    var = (centred * centred).mean(dim=1, keepdim=True)
    y = (centred / torch.sqrt(var + 1e-5)).reshape(x.shape)
    return y * gamma.view(1, -1, 1, 1) + beta.view(1, -1, 1, 1)


def block(p, prefix, x, slope):
    for k in ("1", "2"):
        x = F.conv2d(x, p[prefix + "conv" + k + "_weight"], None, padding=1)
        x = F.leaky_relu(layer_norm(x, p[prefix + "norm" + k + "_gamma"], p[prefix + "norm" + k + "_beta"]), slope)
    return x


def resize(x, h, w, mode):
    if x.shape[2] == h and x.shape[3] == w:
        return x
    if mode == "area":
        return F.interpolate(x, size=(h, w), mode="area")
    if mode == "sample":
        # cimle's Resize.sample: the centre pixel of each block, so the noise keeps its variance.
        fy, fx = x.shape[2] // h, x.shape[3] // w
        return x[:, :, fy // 2::fy, fx // 2::fx]
    # What cimle's Resize.bilinear actually runs on DJL 0.33 / libtorch 2.5.1, measured against torch:
    # DJL's JNI always antialiases, and its align-corners probe (2x2 -> 3x3 middle == 0.5) then picks
    # align_corners=False. So: align_corners=False, antialias=True (not CRN's align_corners=True).
    return F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False, antialias=True)


def encode(p, spec, layout, noise):
    z = block(p, "encoder_", torch.cat([layout, noise], 1), spec["leaky_slope"])  # (N, E, H, W)
    return F.conv2d(z, p["encoder_project_weight"], p["encoder_project_bias"])    # (N, Z, H, W)


def forward(p, spec, layout, noise):
    slope = spec["leaky_slope"]
    z = encode(p, spec, layout, noise)                                          # (N, Z, H, W)
    features = None
    for i, m in enumerate(spec["modules"]):
        parts = [] if features is None else [resize(features, m["height"], m["width"], "bilinear")]
        parts += [resize(layout, m["height"], m["width"], "area"), resize(z, m["height"], m["width"], "sample")]
        features = block(p, "module%d_" % i, torch.cat(parts, 1), slope)        # (N, Ci, h, w)
    return F.conv2d(features, p["toRgb_weight"], p["toRgb_bias"])               # (N, 3, H, W)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=7)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    spec = json.load(open(a.dir + "/spec.json"))
    npz = np.load(a.dir + "/peer.npz")
    p = {k[len("param/"):]: torch.from_numpy(np.array(npz[k])).requires_grad_(True)
         for k in npz.files if k.startswith("param/")}
    layout = torch.from_numpy(np.array(npz["layout"]))
    noise = torch.from_numpy(np.array(npz["noise"]))
    target = torch.from_numpy(np.array(npz["target"]))
    ours = torch.from_numpy(np.array(npz["output"]))

    with torch.no_grad():
        theirs = forward(p, spec, layout, noise)
        encoder_diff = float((encode(p, spec, layout, noise) - torch.from_numpy(np.array(npz["encoded"]))).abs().max())
    max_abs_diff = float((theirs - ours).abs().max())

    def timed(fn):
        for _ in range(a.warmup):
            fn()
        out = []
        for _ in range(a.repeats):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
        return statistics.median(out)

    def fwd():
        with torch.no_grad():
            forward(p, spec, layout, noise)

    opt = torch.optim.Adam(p.values(), lr=1e-4, betas=(0.9, 0.999), eps=1e-8)

    adam_in_step = []

    def step():
        opt.zero_grad(set_to_none=False)
        loss = (forward(p, spec, layout, noise) - target).abs().mean()
        loss.backward()
        t = time.perf_counter()
        opt.step()
        adam_in_step.append((time.perf_counter() - t) * 1000)

    forward_ms = timed(fwd)
    step_ms = timed(step)
    # Adam as the Java side times it: inside each measured step, right after that step's backward.
    adam_ms = statistics.median(adam_in_step[a.warmup:])
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "batch": spec["batch"],
                      "preset": spec["preset"], "max_abs_diff": max_abs_diff,
                      "encoder_max_abs_diff": encoder_diff, "forward_ms": round(forward_ms, 3),
                      "step_ms": round(step_ms, 3), "adam_ms": round(adam_ms, 3)}))


if __name__ == "__main__":
    sys.exit(main())
