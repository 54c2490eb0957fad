#!/usr/bin/env python3
"""Exports the networks cimle's evaluation metrics read (run once, where the weights are reachable).

  inception.torchscript  FID/KID feature extractor: (N, 3, H, W) RGB in [0, 1], any H, W ->
                         (N, 2048) pool3 features. The resize to 299x299 (bilinear,
                         align_corners=False, no antialiasing) and the scaling to [-1, 1] are inside
                         the file, exactly as pytorch-fid's InceptionV3(resize_input=True,
                         normalize_input=True) does them.
  lpips_vgg.npz          LPIPS (VGG-16) trunk and linear layers, in the names Lpips.java reads.
  segmenter.torchscript  only with --random-weights: a small conv net (N, 3, H, W) in [0, 1] ->
                         (N, K, H, W) logits, to test the mIoU path. Real segmenters: any TorchScript
                         with that contract (see README, "Metrics").

Real weights (no --random-weights):
  - Inception: pytorch-fid's FID Inception (pt_inception-2015-12-05, the TF FID graph's weights;
    `pip install pytorch-fid`, which downloads them on first use). Its blocks (FIDInceptionA/C/E)
    differ from torchvision's Inception-v3, so only these weights give FID numbers comparable to
    papers.
  - LPIPS: torchvision's ImageNet VGG-16 plus the LPIPS repo's v0.1 linear layers
    (`pip install lpips`, the file lpips/weights/v0.1/vgg.pth ships inside the package).

--random-weights: torchvision's Inception-v3 architecture (init_weights=True, aux_logits=False)
and VGG-16 with seeded random init, non-negative random LPIPS linear layers, and the small
segmenter: what the equality test (MetricsEqualityTest) feeds both cimle and the Python reference.
Nothing is downloaded in that mode.

Usage: export-metric-networks.py OUT_DIR [--random-weights] [--seed S] [--classes K]
"""
import argparse
import hashlib
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class FidInput(nn.Module):
    """pytorch-fid's input handling (InceptionV3.forward with resize_input and normalize_input)."""

    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
        x = 2 * x - 1
        return self.body(x)


class TorchvisionPool3(nn.Module):
    """torchvision Inception-v3 up to the 2048-d global average pool (pytorch-fid's block 3)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        n = self.net
        x = n.Conv2d_1a_3x3(x)
        x = n.Conv2d_2a_3x3(x)
        x = n.Conv2d_2b_3x3(x)
        x = n.maxpool1(x)
        x = n.Conv2d_3b_1x1(x)
        x = n.Conv2d_4a_3x3(x)
        x = n.maxpool2(x)
        x = n.Mixed_5b(x)
        x = n.Mixed_5c(x)
        x = n.Mixed_5d(x)
        x = n.Mixed_6a(x)
        x = n.Mixed_6b(x)
        x = n.Mixed_6c(x)
        x = n.Mixed_6d(x)
        x = n.Mixed_6e(x)
        x = n.Mixed_7a(x)
        x = n.Mixed_7b(x)
        x = n.Mixed_7c(x)
        x = F.adaptive_avg_pool2d(x, (1, 1))
        return torch.flatten(x, 1)


class PytorchFidPool3(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.flatten(self.net(x)[0], 1)


class SmallSegmenter(nn.Module):
    """A random stand-in segmenter: the mIoU path only needs the (N, K, H, W) logits contract."""

    def __init__(self, classes):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1),
                                  nn.ReLU(), nn.Conv2d(16, classes, 1))

    def forward(self, x):
        return self.body(x)


def calibrate_batch_norm(net):
    """Sets every batch norm's running statistics to those of random images: with the default
    (mean 0, var 1) a randomly initialised Inception's activations grow by orders of magnitude per
    block (pool3 features near 1e11, FIDs near 1e21), far from any real network's range."""
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None  # a cumulative average over the calibration batches
    net.train()
    with torch.no_grad():
        for _ in range(2):  # 4 images: enough for stable statistics, seconds on one core
            net(torch.rand(2, 3, 299, 299) * 2 - 1)
    net.eval()


def inception(random_weights):
    if random_weights:
        import torchvision
        net = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=True,
                                              transform_input=False)
        calibrate_batch_norm(net)
        return TorchvisionPool3(net.eval())
    try:
        from pytorch_fid.inception import InceptionV3
    except ImportError:
        sys.exit("real Inception weights need pytorch-fid (pip install pytorch-fid); or pass --random-weights")
    net = InceptionV3([InceptionV3.BLOCK_INDEX_BY_DIM[2048]], resize_input=False, normalize_input=False,
                      use_fid_inception=True)
    return PytorchFidPool3(net.eval())


def lpips_npz(random_weights, path):
    import torchvision
    if random_weights:
        vgg = torchvision.models.vgg16(weights=None).features
        lin = {f"lin{k}.model.1.weight": torch.rand(1, c, 1, 1)
               for k, c in enumerate([64, 128, 256, 512, 512])}
    else:
        import lpips
        vgg = torchvision.models.vgg16(weights="IMAGENET1K_V1").features
        lin_file = os.path.join(os.path.dirname(lpips.__file__), "weights", "v0.1", "vgg.pth")
        lin = torch.load(lin_file, map_location="cpu")
    d = {"features." + k: v.detach().numpy() for k, v in vgg.state_dict().items() if int(k.split(".")[0]) <= 28}
    d.update({k: v.detach().numpy() for k, v in lin.items()})
    np.savez(path, **d)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--random-weights", action="store_true")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--classes", type=int, default=19, help="segmenter classes (random segmenter only)")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(a.seed)
    with torch.no_grad():
        net = FidInput(inception(a.random_weights)).eval()
        example = torch.rand(1, 3, 32, 64)
        traced = torch.jit.trace(net, example)
        # The trace must not have frozen the input size: another size gives the same as eager.
        other = torch.rand(1, 3, 40, 24)
        if not torch.allclose(traced(other), net(other), rtol=1e-4, atol=1e-5):
            sys.exit("traced Inception differs from eager on another input size")
        path = os.path.join(a.out, "inception.torchscript")
        traced.save(path)
        print(f"{path} sha256 {sha256(path)}")
        path = os.path.join(a.out, "lpips_vgg.npz")
        lpips_npz(a.random_weights, path)
        print(f"{path} sha256 {sha256(path)}")
        if a.random_weights:
            seg = SmallSegmenter(a.classes).eval()
            path = os.path.join(a.out, "segmenter.torchscript")
            torch.jit.trace(seg, example).save(path)
            print(f"{path} sha256 {sha256(path)}")


if __name__ == "__main__":
    main()
