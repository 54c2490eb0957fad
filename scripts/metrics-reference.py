#!/usr/bin/env python3
"""The reference formulas cimle's metrics must equal (MetricsEqualityTest runs this beside the Java code).

Reads a job (JSON) naming networks, image files and the subsets/pairs the Java side drew, writes a JSON
of results. Each formula follows its reference:
  FID   pytorch-fid's calculate_frechet_distance (scipy.linalg.sqrtm of sigma1 @ sigma2, the eps offset
        when not finite, the real part) on np.mean / np.cov(rowvar=False) of pool3 features; images
        fed as pytorch-fid feeds them (ToTensor: uint8 / 255), the TorchScript file resizes.
  KID   torch-fidelity's mmd2 (unbiased) with the polynomial kernel (x.y / d + 1)^3 per subset; mean and
        np.std over subsets. Subset rows are the job's (the Java side's draws), in float64.
  LPIPS the LPIPS repo's formula (v0.1): inputs in [-1, 1], scaling layer, VGG-16 relu1_2..relu5_3,
        unit-normalised over channels (eps 1e-10), squared difference, 1x1 linear weights, spatial
        mean, sum over layers; per-layout mean of the given pairs, averaged over layouts.
  mIoU  confusion matrix by np.bincount over non-void pixels; IoU = diag / (rows + cols - diag),
        accuracy = diag / rows, means over classes with a defined value (np.nanmean).
Without a network in the job the metric is skipped. Nothing is downloaded.
Usage: metrics-reference.py JOB.json OUT.json
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from scipy import linalg


def load_rgb(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.uint8)


def to_tensor(images):
    # torchvision.transforms.ToTensor on uint8: float / 255, (N, 3, H, W)
    return torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float().div(255)


def activations(model, paths):
    out = []
    with torch.no_grad():
        for i in range(0, len(paths), 8):
            out.append(model(to_tensor([load_rgb(p) for p in paths[i:i + 8]])).numpy())
    return np.concatenate(out)


def calculate_frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """pytorch-fid's formula (fid_score.py)."""
    mu1 = np.atleast_1d(mu1)
    mu2 = np.atleast_1d(mu2)
    sigma1 = np.atleast_2d(sigma1)
    sigma2 = np.atleast_2d(sigma2)
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real  # pytorch-fid raises above an imaginary part of 1e-3; reported instead
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def fid_of(act1, act2):
    return calculate_frechet_distance(np.mean(act1, axis=0), np.cov(act1, rowvar=False),
                                      np.mean(act2, axis=0), np.cov(act2, rowvar=False))


def fid_low_rank(act1, act2):
    """The same distance with tr sqrtm(S1 S2) as the nuclear norm of X1 X2^T / sqrt((n1-1)(n2-1)), X the
    centred features in float64: exact when the covariances have rank below d (fewer images than
    dimensions), where scipy's sqrtm adds the square roots of the rounding noise of ~d zero eigenvalues
    (about 1e-5 relative here). Tells that rounding from a formula error."""
    x1 = act1.astype(np.float64) - act1.astype(np.float64).mean(axis=0)
    x2 = act2.astype(np.float64) - act2.astype(np.float64).mean(axis=0)
    n1, n2 = len(x1), len(x2)
    diff = act1.astype(np.float64).mean(axis=0) - act2.astype(np.float64).mean(axis=0)
    tr1 = (x1 ** 2).sum() / (n1 - 1)
    tr2 = (x2 ** 2).sum() / (n2 - 1)
    nuclear = np.linalg.svd(x1 @ x2.T, compute_uv=False).sum() / np.sqrt((n1 - 1) * (n2 - 1))
    return float(diff.dot(diff) + tr1 + tr2 - 2 * nuclear)


def mmd2_unbiased(x, y):
    """torch-fidelity's polynomial_mmd + mmd2(unbiased) with degree 3, gamma 1/d, coef0 1."""
    d = x.shape[1]
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    m = kxx.shape[0]
    kt_xx_sum = (kxx.sum(axis=1) - np.diagonal(kxx)).sum()
    kt_yy_sum = (kyy.sum(axis=1) - np.diagonal(kyy)).sum()
    k_xy_sum = kxy.sum(axis=0).sum()
    return float((kt_xx_sum + kt_yy_sum) / (m * (m - 1)) - 2 * k_xy_sum / (m * m))


def kid_of(f1, f2, rows1, rows2):
    f1 = f1.astype(np.float64)
    f2 = f2.astype(np.float64)
    values = [mmd2_unbiased(f1[r1], f2[r2]) for r1, r2 in zip(rows1, rows2)]
    return {"values": values, "mean": float(np.mean(values)), "std": float(np.std(values))}


LPIPS_TAPS = [3, 8, 15, 22, 29]  # torchvision vgg16.features indices of relu1_2 .. relu5_3


def lpips_model(npz):
    import torchvision
    w = np.load(npz)
    vgg = torchvision.models.vgg16(weights=None).features[:30].eval()
    vgg.load_state_dict({k[len("features."):]: torch.from_numpy(w[k]) for k in w.files if k.startswith("features.")})
    lins = [torch.from_numpy(w[f"lin{k}.model.1.weight"]) for k in range(5)]
    shift = torch.tensor([-.030, -.088, -.188]).view(1, 3, 1, 1)
    scale = torch.tensor([.458, .448, .450]).view(1, 3, 1, 1)

    def features(x):
        out = []
        h = (x - shift) / scale
        for i, layer in enumerate(vgg):
            h = layer(h)
            if i in LPIPS_TAPS:
                out.append(h)
        return out

    def distance(a, b):
        fa, fb = features(a), features(b)
        total = 0
        for k in range(5):
            na = fa[k] / (torch.sqrt(torch.sum(fa[k] ** 2, dim=1, keepdim=True)) + 1e-10)
            nb = fb[k] / (torch.sqrt(torch.sum(fb[k] ** 2, dim=1, keepdim=True)) + 1e-10)
            total = total + F.conv2d((na - nb) ** 2, lins[k]).mean([2, 3], keepdim=True)
        return total.view(-1)

    return distance


def lpips_diversity(npz, layouts):
    distance = lpips_model(npz)
    means, per_pair = [], []
    with torch.no_grad():
        for layout in layouts:
            imgs = torch.from_numpy(np.stack([load_rgb(p) for p in layout["samples"]])).permute(0, 3, 1, 2).float()
            imgs = imgs / 127.5 - 1  # lpips.im2tensor
            d = distance(imgs[[i for i, _ in layout["pairs"]]], imgs[[j for _, j in layout["pairs"]]]).numpy()
            per_pair.append(d.astype(float).tolist())
            means.append(float(np.mean(d.astype(np.float64))))
    return {"mean": float(np.mean(means)), "per_pair": per_pair}


def miou(seg_file, job):
    model = torch.jit.load(seg_file).eval()
    norm = job["normalisation"]
    mean = torch.tensor(norm["mean"]).view(1, 3, 1, 1)
    std = torch.tensor(norm["std"]).view(1, 3, 1, 1)
    k = job["classes"]
    mapping = np.array(job["mapping"])
    conf = np.zeros((k, k + 1), dtype=np.int64)  # last column: predicted a class mapping to nothing
    with torch.no_grad():
        for img_path, label_path in zip(job["images"], job["labels"]):
            x = torch.from_numpy(load_rgb(img_path)).permute(2, 0, 1).unsqueeze(0).float() / norm["divisor"]
            pred = model((x - mean) / std).argmax(1)[0].numpy().reshape(-1)
            truth = np.asarray(Image.open(label_path), dtype=np.int64).reshape(-1)
            mapped = mapping[pred]
            mapped[mapped < 0] = k
            keep = (truth >= 0) & (truth < k)
            conf += np.bincount(truth[keep] * (k + 1) + mapped[keep], minlength=k * (k + 1)).reshape(k, k + 1)
    tp = np.diag(conf[:, :k]).astype(np.float64)
    rows = conf.sum(axis=1).astype(np.float64)
    cols = conf[:, :k].sum(axis=0).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = tp / (rows + cols - tp)
        acc = tp / rows
    return {"miou": float(np.nanmean(iou)), "pixel_accuracy": float(tp.sum() / rows.sum()),
            "mean_accuracy": float(np.nanmean(acc)), "iou": [None if np.isnan(v) else float(v) for v in iou]}


def main():
    job = json.load(open(sys.argv[1]))
    torch.set_num_threads(1)
    out = {}
    if job.get("inception"):
        model = torch.jit.load(job["inception"]).eval()
        a1 = activations(model, job["set1"])
        a2 = activations(model, job["set2"])
        out["fid"] = fid_of(a1, a2)
        out["kid"] = kid_of(a1, a2, job["kid_rows1"], job["kid_rows2"])
        if job.get("java_features1"):
            # The formulas alone, on the very features Java computed.
            j1 = np.fromfile(job["java_features1"], dtype=">f4").reshape(len(job["set1"]), -1)
            j2 = np.fromfile(job["java_features2"], dtype=">f4").reshape(len(job["set2"]), -1)
            out["fid_java_features_low_rank"] = fid_low_rank(j1, j2)
            out["kid_java_features"] = kid_of(j1, j2, job["kid_rows1"], job["kid_rows2"])
            out["feature_max_abs_diff"] = float(np.abs(j1 - a1).max())
            out["feature_max_abs"] = float(np.abs(a1).max())
    if job.get("lpips"):
        out["lpips"] = lpips_diversity(job["lpips"], job["layouts"])
    if job.get("segmenter"):
        out["segmentation"] = miou(job["segmenter"], job["segmentation"])
    json.dump(out, open(sys.argv[2], "w"), indent=1)


if __name__ == "__main__":
    main()
