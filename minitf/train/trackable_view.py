"""The object graph of an object-based checkpoint (`tf.train.Checkpoint`), as TF draws it.

Trackable objects are variables, `tf.train.Checkpoint`s, `tf.Module`s, optimizers, and lists,
tuples and dicts (TF's ListWrapper, _TupleWrapper, _DictWrapper: children "0", "1", ... or the
dict's keys). An object's children, in TF's order: a Checkpoint's dependencies in the order they
were added; a Module's trackable attributes in assignment order; an optimizer's non-slot
variables of the default graph by name (Adam's `beta1_power`, `beta2_power`). A breadth-first
walk from the root numbers the nodes and gives each object its shortest path; an optimizer's
slots follow, as nodes of their own, keyed
`<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot name>`.
"""
from minitf.framework.graph import get_default_graph
from minitf.framework.trackable_pb import TrackableObjectGraph
from minitf.module import Module
from minitf.train.optimizer import Optimizer
from minitf.variables import Variable

__all__ = ["OBJECT_GRAPH_PROTO_KEY", "VARIABLE_VALUE_KEY", "is_trackable", "children",
           "ObjectGraph", "escape_local_name", "node_names"]

OBJECT_GRAPH_PROTO_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
VARIABLE_VALUE_KEY = "VARIABLE_VALUE"
_ESCAPE = "."
_ATTRIBUTES = _ESCAPE + "ATTRIBUTES"
_OPTIMIZER_SLOT = _ESCAPE + "OPTIMIZER_SLOT"


def escape_local_name(name):
    """A local name as it appears in a key: "." doubled, "/" as ".S" (TF's escaping).

    Args:
      name: a dependency's local name.

    Returns:
      The escaped name.
    """
    return name.replace(_ESCAPE, _ESCAPE * 2).replace("/", _ESCAPE + "S")


def is_trackable(value):
    """Whether `value` can be a dependency of a `tf.train.Checkpoint`.

    Args:
      value: any Python value.

    Returns:
      True for variables, Checkpoints, Modules, optimizers, lists, tuples and dicts.
    """
    return isinstance(value, (Variable, Module, Optimizer, list, tuple, dict)) or hasattr(
        type(value), "_checkpoint_dependencies")


def children(obj):
    """The dependencies of a trackable object, as `[(local name, child)]` in TF's order.

    Args:
      obj: a trackable object (`is_trackable`).

    Returns:
      The list of its trackable children with their local names.

    Raises:
      ValueError: a dict holding a trackable value has a key that is not a string.
    """
    if isinstance(obj, Variable):
        return []
    if isinstance(obj, (list, tuple)):
        return [(str(i), v) for i, v in enumerate(obj) if is_trackable(v)]
    if isinstance(obj, dict):
        out = []
        for key, value in obj.items():
            if is_trackable(value):
                if not isinstance(key, str):
                    raise ValueError(f"Unable to save the object {obj!r} (a dictionary "
                                     f"wrapper constructed automatically on attribute "
                                     f"assignment). The wrapped dictionary contains a "
                                     f"non-string key which maps to a trackable object or "
                                     f"mutable data structure: {key!r}")
                out.append((key, value))
        return out
    if isinstance(obj, Optimizer):
        graph = get_default_graph()
        return [(name, var) for (name, g), var in sorted(obj._non_slots.items(),
                                                         key=lambda item: item[0][0])
                if graph._eager or g is graph]
    if isinstance(obj, Module):
        return [(k, v) for k, v in vars(obj).items()
                if not k.startswith("_self_") and is_trackable(v)]
    return list(obj._checkpoint_dependencies())


def _full_name(var):
    info = getattr(var, "_save_slice_info", None)
    return info.full_name if info is not None else var._op_name


def _attribute_key(path):
    return f"{path}/{_ATTRIBUTES}/{VARIABLE_VALUE_KEY}"


class ObjectGraph:
    """The objects reachable from a root now, numbered as TF numbers them.

    Args:
      root: the root object (a Checkpoint).
      slots: whether to add the optimizers' slot variables.

    Attributes:
      objects: the objects by node id: the breadth-first walk, then the slot variables.
      paths: {id(object): its escaped path from the root} (slots: their slot key).
      slots: {id(optimizer): [(variable node id, slot name, slot node id)]}.
    """

    def __init__(self, root, slots=True):
        self.objects, self.paths, self._ids, self._children = [root], {id(root): ""}, {
            id(root): 0}, []
        for obj in self.objects:  # grows as it is walked: breadth first
            kids = []
            for name, child in children(obj):
                if id(child) not in self._ids:
                    self._ids[id(child)] = len(self.objects)
                    self.objects.append(child)
                    prefix = self.paths[id(obj)]
                    escaped = escape_local_name(name)
                    self.paths[id(child)] = f"{prefix}/{escaped}" if prefix else escaped
                kids.append((name, self._ids[id(child)]))
            self._children.append(kids)
        self.slots = self._add_slots() if slots else {}

    def _add_slots(self):
        slots = {}
        walked = list(self.objects)
        for obj in walked:
            if not isinstance(obj, Optimizer):
                continue
            for slot_name in obj.get_slot_names():
                for var_id, var in enumerate(walked):
                    slot = obj.get_slot(var, slot_name) if isinstance(var, Variable) else None
                    if slot is None:
                        continue
                    if id(slot) in self._ids:
                        raise NotImplementedError(
                            "A slot variable was re-used as a dependency of a Trackable "
                            f"object: {slot}. This is not currently allowed.")
                    self._ids[id(slot)] = len(self.objects)
                    self.objects.append(slot)
                    self._children.append([])
                    self.paths[id(slot)] = (f"{self.paths[id(var)]}/{_OPTIMIZER_SLOT}/"
                                            f"{self.paths[id(obj)]}/"
                                            f"{escape_local_name(slot_name)}")
                    slots.setdefault(id(obj), []).append(
                        (var_id, slot_name, self._ids[id(slot)]))
        return slots

    def variables(self):
        """`[(checkpoint key, variable)]` of every variable in the graph, slots included."""
        return [(_attribute_key(self.paths[id(v)]), v) for v in self.objects
                if isinstance(v, Variable)]

    def proto(self):
        """The TrackableObjectGraph TF would write for these objects.

        Returns:
          A TrackableObjectGraph.
        """
        graph = TrackableObjectGraph()
        for node_id, obj in enumerate(self.objects):
            node = graph.nodes.add()
            for name, child_id in self._children[node_id]:
                node.children.add(node_id=child_id, local_name=name)
            if isinstance(obj, Variable):
                node.attributes.add(name=VARIABLE_VALUE_KEY, full_name=_full_name(obj),
                                    checkpoint_key=_attribute_key(self.paths[id(obj)]))
            for var_id, slot_name, slot_id in self.slots.get(id(obj), []):
                node.slot_variables.add(original_variable_node_id=var_id,
                                        slot_name=slot_name, slot_variable_node_id=slot_id)
        _mark_checkpoint_values(graph)
        return graph


def _mark_checkpoint_values(graph):
    """Sets has_checkpoint_values: a node with tensors or slots, and all its ancestors."""
    parents = {}
    for node_id, node in enumerate(graph.nodes):
        for ref in node.children:
            parents.setdefault(ref.node_id, set()).add(node_id)
    marked = {i for i, n in enumerate(graph.nodes) if len(n.attributes) or len(n.slot_variables)}
    todo = list(marked)
    while todo:
        for parent in parents.pop(todo.pop(), ()):
            if parent not in marked:
                marked.add(parent)
                todo.append(parent)
    for node_id, node in enumerate(graph.nodes):
        node.has_checkpoint_values.value = node_id in marked
        node.has_checkpoint_values.SetInParent()


def node_names(graph):
    """Readable names of a checkpoint's nodes, as TF's errors print them.

    A node reached by children is "(root).a.b"; a slot is "<optimizer>'s state '<slot>' for
    <variable>".

    Args:
      graph: a TrackableObjectGraph.

    Returns:
      {node id: name}.
    """
    names, order = {0: "(root)"}, [0]
    for node_id in order:
        for ref in graph.nodes[node_id].children:
            if ref.node_id not in names:
                names[ref.node_id] = f"{names[node_id]}.{ref.local_name}"
                order.append(ref.node_id)
    for node_id, node in enumerate(graph.nodes):
        for ref in node.slot_variables:
            names[ref.slot_variable_node_id] = (
                f"{names.get(node_id)}'s state '{ref.slot_name}' for "
                f"{names.get(ref.original_variable_node_id)}")
    return names
