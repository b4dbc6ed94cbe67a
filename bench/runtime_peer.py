#!/usr/bin/python3
"""PyTorch peer for the runtime benchmark (Debian python3-torch 1.13): the
network a tinym2net spec.json describes (Net from train_peer.py, random
weights: latency does not depend on them), batch-1 inference on one thread
after warm-up, in FP32, static int8 (eager mode, qnnpack) and dynamic int8
(quantize_dynamic, Linear layers only: convolutions stay FP32 there).
Prints {"fp32": {"p50_us": …}, "int8_static": …, "int8_dynamic": …} as JSON.

usage: runtime_peer.py SPEC.json [--runs N] [--warmup N]
"""
import argparse
import json
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_peer import Net  # noqa: E402


class PositionalNet(nn.Module):
    """Net with one tensor argument per branch: FX cannot trace zip() over a list."""

    def __init__(self, spec):
        super().__init__()
        net = Net(spec)
        self.branches, self.head, self.classifier = net.branches, net.head, net.classifier

    def forward(self, *inputs):
        return self.classifier(self.head(torch.cat([b(x) for b, x in zip(self.branches, inputs)], 1)))


def percentile(sorted_us, q):
    # Nearest rank, as tinym2net-bench reports it.
    rank = max(1, -(-int(q * 1000) * len(sorted_us) // 1000))
    return sorted_us[min(rank, len(sorted_us)) - 1]


def time_model(model, inputs, runs, warmup):
    with torch.inference_mode():
        for _ in range(warmup):
            model(*inputs)
        us = []
        for _ in range(runs):
            start = time.perf_counter()
            model(*inputs)
            us.append((time.perf_counter() - start) * 1e6)
    us.sort()
    return {"p50_us": percentile(us, 0.5), "p90_us": percentile(us, 0.9), "p99_us": percentile(us, 0.99),
            "mean_us": sum(us) / len(us)}


class EagerQuantNet(nn.Module):
    """Eager-mode static int8: a QuantStub per branch, the concat as a quantized
    FloatFunctional, conv/linear + BN + ReLU fused. (FX graph mode would do this
    by itself, but its tracer fails under Debian's Python 3.11 with torch 1.13.)"""

    def __init__(self, net):
        super().__init__()
        self.quant = nn.ModuleList(torch.ao.quantization.QuantStub() for _ in net.branches)
        self.branches, self.head, self.classifier = net.branches, net.head, net.classifier
        self.cat = torch.ao.nn.quantized.FloatFunctional()
        self.dequant = torch.ao.quantization.DeQuantStub()

    def forward(self, *inputs):
        x = self.cat.cat([b(q(x)) for b, q, x in zip(self.branches, self.quant, inputs)], 1)
        return self.dequant(self.classifier(self.head(x)))


def fusable_groups(seq):
    patterns = [(nn.Conv2d, nn.BatchNorm2d, nn.ReLU), (nn.Conv2d, nn.BatchNorm2d), (nn.Conv2d, nn.ReLU),
                (nn.Linear, nn.BatchNorm1d), (nn.Linear, nn.ReLU)]
    mods, groups, i = list(seq), [], 0
    while i < len(mods):
        for p in patterns:
            if all(i + k < len(mods) and type(mods[i + k]) is t for k, t in enumerate(p)):
                groups.append([str(i + k) for k in range(len(p))])
                i += len(p)
                break
        else:
            i += 1
    return groups


def static_int8(model, inputs):
    torch.backends.quantized.engine = "qnnpack"
    q = EagerQuantNet(model).eval()
    for seq in list(q.branches) + [q.head]:
        groups = fusable_groups(seq)
        if groups:
            torch.ao.quantization.fuse_modules(seq, groups, inplace=True)
    q.qconfig = torch.ao.quantization.get_default_qconfig("qnnpack")
    torch.ao.quantization.prepare(q, inplace=True)
    with torch.inference_mode():
        for _ in range(8):  # calibration on random data: only the speed matters here
            q(*[torch.randn_like(x) for x in inputs])
    return torch.ao.quantization.convert(q, inplace=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("spec")
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=100)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    spec = json.load(open(args.spec))
    if spec["fusion"]["type"] != "concat":
        raise SystemExit("runtime_peer.py: only concat fusion is mirrored")
    model = PositionalNet(spec).eval()
    fp32 = PositionalNet(spec).eval()
    inputs = [torch.randn(1, *b["input"]) for b in spec["branches"]]
    result = {"torch": torch.__version__, "threads": 1, "batch": 1,
              "fp32": time_model(fp32, inputs, args.runs, args.warmup)}
    try:
        result["int8_static"] = time_model(static_int8(model, inputs), inputs, args.runs, args.warmup)
        result["int8_static"]["how"] = "eager-mode post-training static quantization, fused conv+bn+relu, qnnpack engine"
    except Exception as e:  # report and carry on with the dynamic peer
        result["int8_static"] = {"error": f"{type(e).__name__}: {e}"}
    for engine in ("qnnpack", "onednn", "fbgemm"):
        if engine in torch.backends.quantized.supported_engines:
            torch.backends.quantized.engine = engine
            break
    dynamic = torch.ao.quantization.quantize_dynamic(PositionalNet(spec).eval(), {nn.Linear}, dtype=torch.qint8)
    result["int8_dynamic"] = time_model(dynamic, inputs, args.runs, args.warmup)
    result["int8_dynamic"]["how"] = f"quantize_dynamic on Linear layers only ({engine}); convolutions stay FP32"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
