#!/usr/bin/env python3
"""Writes torch_cases.json: convolution cases computed by PyTorch, which TorchParityTests compare ConvReference with,
and torch_gradients.json: for each case, an upstream gradient and PyTorch autograd's gradients with respect to the
input, the weights and the bias (float64), which TorchGradientTests compare ConvReference.Backward with.

Run from this folder with a Python that has torch (Debian: apt-get install python3-torch; /usr/bin/python3
make_torch_cases.py). The output is deterministic for a given torch version: a fixed seed, inputs and weights
rounded to two decimals (so the file is small and the C# side reads exactly the values torch used), and every
case computed in float64 so the stored outputs carry no float32 rounding of their own.

Each case lists per-axis parameters in (depth, height, width) order for the axes the layer has: 1-D layers give one
value (the length axis), 2-D layers two, 3-D layers three.
"""
import json
import sys
import zlib

import torch
import torch.nn.functional as F

torch.manual_seed(20240607)
DTYPE = torch.float64


def values(shape, scale=1.0):
    """Random values rounded to two decimals, so their decimal text is exactly what torch computes with."""
    return torch.round(torch.randn(*shape, dtype=DTYPE) * scale * 100) / 100


def flat(t, digits=None):
    out = []
    for v in t.detach().reshape(-1).tolist():
        out.append(round(v, 2) if digits is None else float('%.*g' % (digits, v)))
    return out


def per_axis(v, dims):
    return list(v) if isinstance(v, (tuple, list)) else [v] * dims


ACTIVATIONS = {
    'none': lambda y: y,
    'relu': torch.relu,
    'relu6': lambda y: F.hardtanh(y, 0.0, 6.0),
    'leaky_relu': lambda y: F.leaky_relu(y, 0.2),
    'sigmoid': torch.sigmoid,
    'tanh': torch.tanh,
    'silu': F.silu,
}

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}

cases = []
gradients = {}


def record_gradients(name, forward, leaves, y_shape, activation):
    """PyTorch autograd of forward(*leaves) (float64) for an upstream gradient drawn from the case's own generator
    (so the cases' random stream, and torch_cases.json, stay exactly as before)."""
    gen = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    gy = torch.round(torch.randn(*y_shape, dtype=DTYPE, generator=gen) * 100) / 100
    leaves = [t.detach().clone().requires_grad_(True) for t in leaves]
    y = ACTIVATIONS[activation](forward(*leaves))
    grads = torch.autograd.grad(y, leaves, gy)
    gradients[name] = {'output_grad': flat(gy), 'input_grad': flat(grads[0], 10), 'weight_grad': flat(grads[1], 10),
                       'bias_grad': flat(grads[2], 10) if len(grads) > 2 else []}


def emit(name, kind, dims, x, w, b, y, cin, cout, kernel, stride, dilation, pad_begin, pad_end,
         rule='explicit', mode='zeros', output_padding=0, groups=1, multiplier=1, activation='none'):
    cases.append({
        'name': name, 'kind': kind, 'dims': dims, 'in': cin, 'out': cout,
        'kernel': per_axis(kernel, dims), 'stride': per_axis(stride, dims), 'dilation': per_axis(dilation, dims),
        'pad_begin': per_axis(pad_begin, dims), 'pad_end': per_axis(pad_end, dims),
        'rule': rule, 'mode': mode, 'output_padding': per_axis(output_padding, dims),
        'groups': groups, 'multiplier': multiplier, 'activation': activation,
        'negative_slope': 0.2 if activation == 'leaky_relu' else 0.01,
        'input_shape': list(x.shape), 'input': flat(x),
        'weights': flat(w), 'bias': [] if b is None else flat(b),
        'output_shape': list(y.shape), 'output': flat(y, 8),
    })


def torch_pads(pad_begin, pad_end, dims):
    """F.pad's order: last axis first, begin then end."""
    pb, pe = per_axis(pad_begin, dims), per_axis(pad_end, dims)
    out = []
    for a in reversed(range(dims)):
        out += [pb[a], pe[a]]
    return out


def conv(name, x_shape, cout, kernel, stride=1, padding=0, dilation=1, groups=1, bias=True, mode='zeros',
         pad_end=None, activation='none', scale=1.0):
    """Conv1d/2d/3d. Symmetric padding goes through nn.ConvNd's own padding and padding_mode (the PyTorch semantics
    under test); pad_end makes it asymmetric, done with F.pad first. padding may also be 'same' or 'valid'."""
    dims = len(x_shape) - 2
    cin = x_shape[1]
    k = per_axis(kernel, dims)
    x = values(x_shape, scale)
    w = values([cout, cin // groups] + k)
    b = values([cout]) if bias else None
    if pad_end is not None:
        pad_mode = 'constant' if mode == 'zeros' else mode
        xp = F.pad(x, torch_pads(padding, pad_end, dims), mode=pad_mode)
        y = CONV[dims](xp, w, b, stride, 0, dilation, groups)
        pb, pe, rule = padding, pad_end, 'explicit'
    else:
        module = getattr(torch.nn, 'Conv%dd' % dims)(cin, cout, kernel, stride, padding, dilation, groups, bias,
                                                     padding_mode=mode, dtype=DTYPE)
        with torch.no_grad():
            module.weight.copy_(w)
            if bias:
                module.bias.copy_(b)
            y = module(x)
        if padding in ('same', 'valid'):
            rule, pb, pe = padding, 0, 0
        else:
            rule, pb, pe = 'explicit', padding, padding
    y = ACTIVATIONS[activation](y)
    if pad_end is not None:
        forward = lambda xx, ww, *bb: CONV[dims](F.pad(xx, torch_pads(padding, pad_end, dims), mode=pad_mode), ww,
                                                 bb[0] if bb else None, stride, 0, dilation, groups)
    else:
        forward = lambda xx, ww, *bb: module._conv_forward(xx, ww, bb[0] if bb else None)
    record_gradients(name, forward, [x, w] + ([b] if bias else []), y.shape, activation)
    emit(name, 'conv', dims, x, w, b, y, cin, cout, kernel, stride, dilation, pb, pe, rule, mode,
         groups=groups, activation=activation)


def conv_transpose(name, x_shape, cout, kernel, stride=1, padding=0, output_padding=0, dilation=1, groups=1,
                   bias=True, activation='none'):
    dims = len(x_shape) - 2
    cin = x_shape[1]
    x = values(x_shape)
    w = values([cin, cout // groups] + per_axis(kernel, dims))
    b = values([cout]) if bias else None
    y = CONV_T[dims](x, w, b, stride, padding, output_padding, groups, dilation)
    y = ACTIVATIONS[activation](y)
    record_gradients(name, lambda xx, ww, *bb: CONV_T[dims](xx, ww, bb[0] if bb else None, stride, padding, output_padding,
                                                           groups, dilation), [x, w] + ([b] if bias else []), y.shape, activation)
    emit(name, 'transposed', dims, x, w, b, y, cin, cout, kernel, stride, dilation, padding, padding,
         output_padding=output_padding, groups=groups, activation=activation)


def separable(name, x_shape, cout, kernel, multiplier, stride=1, padding=0, dilation=1, mode='zeros',
              activation='none'):
    """Depthwise Conv2d (groups = Cin, Cin*multiplier outputs, no bias) then a 1x1 Conv2d with bias."""
    cin = x_shape[1]
    x = values(x_shape)
    dw = values([cin * multiplier, 1, kernel, kernel])
    pw = values([cout, cin * multiplier, 1, 1])
    b = values([cout])
    depthwise = torch.nn.Conv2d(cin, cin * multiplier, kernel, stride, padding, dilation, cin, False,
                                padding_mode=mode, dtype=DTYPE)
    with torch.no_grad():
        depthwise.weight.copy_(dw)
        y = F.conv2d(depthwise(x), pw, b)
    y = ACTIVATIONS[activation](y)
    split = dw.numel()
    record_gradients(name, lambda xx, ww, bb: F.conv2d(depthwise._conv_forward(xx, ww[:split].reshape(dw.shape), None),
                                                       ww[split:].reshape(pw.shape), bb),
                     [x, torch.cat([dw.reshape(-1), pw.reshape(-1)]), b], y.shape, activation)
    emit(name, 'separable', 2, x, torch.cat([dw.reshape(-1), pw.reshape(-1)]), b, y, cin, cout, kernel, stride,
         dilation, padding, padding, mode=mode, multiplier=multiplier, activation=activation)


# The PyTorch-exported ONNX models (section 3c of onnx-conv-cases.md), same shapes; test_operator_conv shrunk.
conv('Conv1d', [2, 4, 10], 5, 3)
conv('Conv1d_dilated', [2, 4, 10], 5, 3, dilation=2)
conv('Conv1d_groups', [2, 4, 6], 6, 3, groups=2)
conv('Conv1d_pad1', [2, 4, 10], 5, 3, padding=1)
conv('Conv1d_pad1size1', [1, 4, 1], 4, 3, padding=1)
conv('Conv1d_pad2', [2, 4, 10], 5, 5, padding=2)
conv('Conv1d_pad2size1', [1, 4, 1], 4, 5, padding=2)
conv('Conv1d_stride', [2, 4, 10], 5, 3, stride=2)
conv('Conv2d', [2, 3, 7, 5], 4, (3, 2))
conv('Conv2d_depthwise', [2, 4, 6, 6], 4, 3, groups=4)
conv('Conv2d_depthwise_padded', [2, 4, 6, 6], 4, 3, padding=1, groups=4)
conv('Conv2d_depthwise_strided', [2, 4, 6, 6], 4, 3, stride=2, groups=4)
conv('Conv2d_depthwise_with_multiplier', [2, 4, 6, 6], 8, 3, groups=4)
conv('Conv2d_dilated', [2, 3, 8, 8], 2, 3, stride=2, padding=1, dilation=2)
conv('Conv2d_groups', [2, 4, 6, 5], 6, (3, 2), groups=2)
conv('Conv2d_no_bias', [2, 3, 6, 5], 4, (3, 2), bias=False)
conv('Conv2d_padding', [2, 3, 6, 6], 4, 3, stride=2, padding=1)
conv('Conv2d_strided', [2, 3, 6, 6], 4, 3, stride=2)
conv('Conv3d', [2, 3, 3, 4, 5], 4, (2, 3, 4))
conv('Conv3d_dilated', [2, 3, 5, 5, 5], 4, 2, dilation=2)
conv('Conv3d_dilated_strided', [2, 3, 5, 5, 5], 4, 2, stride=2, dilation=2)
conv('Conv3d_groups', [2, 4, 4, 5, 4], 6, 3, groups=2)
conv('Conv3d_no_bias', [2, 3, 3, 4, 5], 4, (2, 3, 4), bias=False)
conv('Conv3d_stride', [2, 3, 5, 5, 5], 4, 2, stride=2)
conv('Conv3d_stride_padding', [2, 3, 5, 5, 5], 4, 2, stride=2, padding=1)
conv_transpose('ConvTranspose2d', [1, 3, 7, 6], 4, 3, stride=(3, 2), padding=1, output_padding=1)
conv_transpose('ConvTranspose2d_no_bias', [1, 3, 6, 7], 4, 3, stride=(2, 3), padding=1, output_padding=1, bias=False)
conv('operator_conv_small', [2, 16, 10, 8], 13, 3, bias=False)
conv_transpose('operator_convtranspose', [2, 3, 4, 5], 3, 3, stride=3, padding=1, output_padding=2, bias=False)

# Every padding mode in every dimension, symmetric (nn.ConvNd's padding_mode) and asymmetric (F.pad first).
for mode in ('reflect', 'replicate', 'circular'):
    conv('Conv1d_%s' % mode, [2, 3, 7], 4, 3, padding=2, dilation=2, mode=mode)
    conv('Conv1d_%s_asymmetric' % mode, [1, 2, 5], 3, 4, padding=1, pad_end=3, mode=mode)
    conv('Conv2d_%s' % mode, [2, 3, 6, 5], 4, (3, 2), stride=2, padding=(2, 1), mode=mode)
    conv('Conv2d_%s_asymmetric' % mode, [1, 2, 5, 6], 3, 3, padding=(1, 0), pad_end=(2, 2), mode=mode)
    conv('Conv3d_%s' % mode, [1, 2, 4, 5, 3], 3, (3, 2, 3), padding=1, groups=1, mode=mode)
conv('Conv2d_zeros_asymmetric', [1, 2, 5, 6], 3, 3, stride=2, padding=(1, 0), pad_end=(2, 2))
conv('Conv3d_zeros_asymmetric', [1, 2, 3, 4, 4], 2, 2, padding=(0, 1, 2), pad_end=(1, 0, 1))

# padding='same' (stride 1; an odd total puts the extra pixel at the end) and 'valid'.
conv('Conv1d_same_k3', [2, 3, 8], 4, 3, padding='same')
conv('Conv1d_same_k4', [2, 3, 8], 4, 4, padding='same')
conv('Conv1d_same_k4_dilation2', [2, 3, 8], 4, 4, padding='same', dilation=2)
conv('Conv1d_same_k2_dilation3_reflect', [1, 3, 8], 2, 2, padding='same', dilation=3, mode='reflect')
conv('Conv2d_same_k3', [1, 3, 6, 5], 4, 3, padding='same')
conv('Conv2d_same_k4', [1, 3, 6, 5], 4, 4, padding='same')
conv('Conv2d_same_k4x3_dilation2x1', [1, 3, 7, 6], 4, (4, 3), padding='same', dilation=(2, 1))
conv('Conv2d_same_k2_dilation3_replicate', [1, 2, 6, 6], 3, 2, padding='same', dilation=3, mode='replicate')
conv('Conv2d_same_k4_circular_groups', [1, 4, 5, 6], 4, 4, padding='same', groups=2, mode='circular')
conv('Conv2d_valid', [1, 3, 6, 5], 4, 3, padding='valid')

# Transposed 1-D, 2-D and 3-D with groups, dilation and output padding.
conv_transpose('ConvTranspose1d', [2, 3, 5], 2, 3)
conv_transpose('ConvTranspose1d_groups_dilation_outpad', [2, 4, 5], 6, 3, stride=2, padding=1, output_padding=1,
               dilation=2, groups=2)
conv_transpose('ConvTranspose1d_stride3_outpad2', [1, 2, 4], 3, 2, stride=3, output_padding=2)
conv_transpose('ConvTranspose2d_groups_dilation', [1, 4, 4, 3], 2, (3, 2), stride=(1, 2), padding=(2, 0),
               output_padding=(0, 1), dilation=(2, 1), groups=2)
conv_transpose('ConvTranspose3d', [1, 2, 2, 3, 3], 3, 2)
conv_transpose('ConvTranspose3d_groups_dilation_outpad', [2, 4, 3, 2, 3], 4, (2, 3, 2), stride=(2, 1, 2),
               padding=(1, 0, 1), output_padding=(1, 0, 1), dilation=(1, 2, 1), groups=2)

# Depthwise-separable: depthwise with a channel multiplier, no bias, then pointwise with bias.
separable('Separable2d_multiplier2', [2, 3, 6, 5], 4, 3, 2, padding=1)
separable('Separable2d_strided_dilated_reflect_relu', [1, 2, 7, 7], 3, 3, 3, stride=2, padding=2, dilation=2,
          mode='reflect', activation='relu')

# Each activation after a convolution; inputs scaled so the outputs cross 0 and 6.
for act in ('relu', 'relu6', 'leaky_relu', 'sigmoid', 'tanh', 'silu'):
    conv('Conv2d_%s' % act, [1, 3, 5, 5], 4, 3, padding=1, activation=act, scale=3.0)
conv('Conv1d_silu_reflect', [1, 2, 9], 3, 3, padding=1, mode='reflect', activation='silu', scale=3.0)
conv('Conv3d_relu6', [1, 2, 3, 4, 4], 3, 2, activation='relu6', scale=3.0)
conv_transpose('ConvTranspose2d_leaky_relu', [1, 2, 3, 3], 2, 3, stride=2, activation='leaky_relu')

with open(sys.argv[1] if len(sys.argv) > 1 else 'torch_cases.json', 'w') as f:
    f.write('{"torch": "%s", "cases": [\n' % torch.__version__)
    f.write(',\n'.join(json.dumps(c, separators=(',', ':')) for c in cases))
    f.write('\n]}\n')
with open(sys.argv[2] if len(sys.argv) > 2 else 'torch_gradients.json', 'w') as f:
    f.write('{"torch": "%s", "gradients": {\n' % torch.__version__)
    f.write(',\n'.join('%s:%s' % (json.dumps(n), json.dumps(g, separators=(',', ':'))) for n, g in gradients.items()))
    f.write('\n}}\n')
print('%d cases, %d with autograd gradients' % (len(cases), len(gradients)))
