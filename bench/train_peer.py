#!/usr/bin/python3
"""PyTorch peer for the training benchmark (Debian python3-torch, the same
1.13.1 our LibTorch is). Builds the network a tinym2net spec.json describes
(same layer order: conv → bn → relu, dsconv = depthwise + pointwise), loads
the .npy features `tinym2net data features` wrote, trains with Adam and
cross-entropy at batch 32 and prints {"samples_per_s": …} as JSON.

usage: train_peer.py SPEC.json FEATURES_DIR --epochs N --threads T [--batch-size 32]
"""
import argparse
import json
import time

import numpy as np
import torch
from torch import nn


def build_sequence(layers, in_shape):
    mods, shape = [], list(in_shape)
    pending = None
    for i, layer in enumerate(layers):
        t = layer["type"]
        act = layer.get("activation", "relu") == "relu"
        nxt = layers[i + 1]["type"] if i + 1 < len(layers) else None
        if t == "conv2d":
            k, s, p = layer.get("kernel", 3), layer.get("stride", 1), layer.get("padding", 0)
            mods.append(nn.Conv2d(shape[0], layer["out_channels"], k, s, p, bias=layer.get("bias", True)))
            shape = [layer["out_channels"], (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
        elif t == "dsconv2d":
            k, s, p = layer.get("kernel", 3), layer.get("stride", 1), layer.get("padding", 0)
            mods.append(nn.Conv2d(shape[0], shape[0], k, s, p, groups=shape[0], bias=False))
            mods.append(nn.Conv2d(shape[0], layer["out_channels"], 1, bias=layer.get("bias", True)))
            shape = [layer["out_channels"], (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
        elif t == "maxpool2d":
            k = layer.get("kernel", 2)
            s = layer.get("stride", 0) or k
            p = layer.get("padding", 0)
            mods.append(nn.MaxPool2d(k, s, p))
            shape = [shape[0], (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
            act = False
        elif t == "batchnorm":
            mods.append(nn.BatchNorm2d(shape[0]) if len(shape) == 3 else nn.BatchNorm1d(shape[0]))
            if pending is not None:
                mods.append(pending)
                pending = None
            act = False
        elif t == "dropout":
            mods.append(nn.Dropout(layer.get("p", 0.5)))
            act = False
        elif t == "flatten":
            mods.append(nn.Flatten())
            shape = [int(np.prod(shape))]
            act = False
        elif t == "fc":
            mods.append(nn.Linear(shape[0], layer["out_features"], bias=layer.get("bias", True)))
            shape = [layer["out_features"]]
        if act:
            if nxt == "batchnorm":
                pending = nn.ReLU()
            else:
                mods.append(nn.ReLU())
    return nn.Sequential(*mods), shape


class Net(nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.branches = nn.ModuleList()
        width = 0
        for b in spec["branches"]:
            seq, out = build_sequence(b["layers"], b["input"])
            self.branches.append(seq)
            width += out[0]
        self.head, out = build_sequence(spec.get("head", []), [width])
        self.classifier = nn.Linear(out[0], spec["num_classes"])

    def forward(self, inputs):
        return self.classifier(self.head(torch.cat([b(x) for b, x in zip(self.branches, inputs)], 1)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("spec")
    ap.add_argument("features")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--channels-last", action="store_true",
                    help="convert the model to NHWC (what our trainer does by default)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    spec = json.load(open(args.spec))
    if spec["fusion"]["type"] != "concat":
        raise SystemExit("train_peer.py: only concat fusion is mirrored")
    xs = [torch.from_numpy(np.load(f"{args.features}/train_{b['modality']}.npy")) for b in spec["branches"]]
    y = torch.from_numpy(np.load(f"{args.features}/train_labels.npy")).long()
    net = Net(spec)
    if args.channels_last:
        net = net.to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = y.shape[0]
    seconds = 0.0
    for _ in range(args.epochs):
        net.train()
        start = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, args.batch_size):
            idx = perm[i:i + args.batch_size]
            opt.zero_grad()
            loss = loss_fn(net([x.index_select(0, idx) for x in xs]), y.index_select(0, idx))
            loss.item()  # the C++ trainer reads the loss every batch too
            loss.backward()
            opt.step()
        seconds += time.perf_counter() - start
    print(json.dumps({"samples_per_s": n * args.epochs / seconds, "epochs": args.epochs,
                      "threads": args.threads, "channels_last": args.channels_last, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
