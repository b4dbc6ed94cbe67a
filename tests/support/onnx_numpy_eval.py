#!/usr/bin/env python3
"""A small NumPy interpreter of the ONNX operators tinym2net's exporter uses
(QuantizeLinear, DequantizeLinear per tensor and per axis, Clip, Conv with groups,
Gemm, MaxPool, Relu, Neg, Add, Mul, Div, Round, Flatten, Concat), written from the
operator definitions (onnx/docs/Operators.md, opset 13). python3-onnx 1.12 has no
reference evaluator and OpenCV 4.6 cannot run QDQ, so this is how a test runs the
QDQ form: it must give the logits of the arithmetic form that OpenCV runs.

usage: onnx_numpy_eval.py A.onnx B.onnx [BATCH]  → JSON {max_abs, max_logit, argmax_agreement}
on the same seeded normal inputs (per graph input of A, batch BATCH, default 8).
"""
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper as nh


def run(path, feeds):
    m = onnx.load(path); g = m.graph
    env = {t.name: nh.to_array(t) for t in g.initializer}; env.update(feeds)
    A = lambda n: {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
    for n in g.node:
        i = [env[x] if x else None for x in n.input]; a = A(n); op = n.op_type
        if op == 'QuantizeLinear':
            x, s, z = i; info = np.iinfo(z.dtype)
            y = np.clip(np.round(x / s) + z.astype(np.float64), info.min, info.max).astype(z.dtype)
        elif op == 'DequantizeLinear':
            x, s, z = i; ax = a.get('axis', 1)
            if s.ndim == 1 and s.size > 1:
                shp = [1]*x.ndim; shp[ax] = -1; s = s.reshape(shp); z = z.reshape(shp)
            y = ((x.astype(np.float64) - z.astype(np.float64)) * s).astype(np.float32)
        elif op == 'Clip': y = np.clip(i[0], i[1], i[2])
        elif op == 'Relu': y = np.maximum(i[0], 0)
        elif op == 'Neg': y = -i[0]
        elif op == 'Add': y = i[0] + i[1]
        elif op == 'Mul': y = i[0] * i[1]
        elif op == 'Div': y = i[0] / i[1]
        elif op == 'Round': y = np.round(i[0])
        elif op == 'Flatten': y = i[0].reshape(i[0].shape[0], -1)
        elif op == 'Concat': y = np.concatenate(i, axis=a['axis'])
        elif op == 'Gemm': y = i[0] @ i[1].T + i[2]
        elif op == 'MaxPool':
            x = i[0]; k = a['kernel_shape']; s = a['strides']; p = a['pads']
            xp = np.pad(x, ((0,0),(0,0),(p[0],p[2]),(p[1],p[3])), constant_values=-np.inf)
            H = (xp.shape[2]-k[0])//s[0]+1; W = (xp.shape[3]-k[1])//s[1]+1
            y = np.stack([np.stack([xp[:,:,h*s[0]:h*s[0]+k[0], w*s[1]:w*s[1]+k[1]].max(axis=(2,3)) for w in range(W)], -1) for h in range(H)], -2)
        elif op == 'Conv':
            x, w, b = i; k = a['kernel_shape']; s = a['strides']; p = a['pads']; G = a.get('group', 1)
            xp = np.pad(x, ((0,0),(0,0),(p[0],p[2]),(p[1],p[3])))
            N, C, Hp, Wp = xp.shape; O = w.shape[0]; H = (Hp-k[0])//s[0]+1; W = (Wp-k[1])//s[1]+1
            y = np.zeros((N, O, H, W), np.float64); cg = C // G; og = O // G
            for o in range(O):
                gi = o // og
                for kh in range(k[0]):
                    for kw in range(k[1]):
                        patch = xp[:, gi*cg:(gi+1)*cg, kh:kh+s[0]*H:s[0], kw:kw+s[1]*W:s[1]]
                        y[:, o] += np.einsum('nchw,c->nhw', patch, w[o, :, kh, kw])
                y[:, o] += b[o]
            y = y.astype(np.float32)
        else: raise SystemExit('op ' + op)
        env[n.output[0]] = y
    return env['logits']


def main():
    a, b = sys.argv[1], sys.argv[2]
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    rng = np.random.default_rng(1)
    feeds = {}
    for inp in onnx.load(a).graph.input:
        dims = [batch] + [d.dim_value for d in inp.type.tensor_type.shape.dim[1:]]
        feeds[inp.name] = rng.normal(size=dims).astype(np.float32)
    la, lb = run(a, feeds), run(b, feeds)
    print(json.dumps({"max_abs": float(np.abs(la - lb).max()), "max_logit": float(np.abs(la).max()),
                      "argmax_agreement": float((la.argmax(1) == lb.argmax(1)).mean())}))


if __name__ == "__main__":
    main()
