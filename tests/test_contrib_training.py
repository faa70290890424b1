"""tf.contrib.training (TF 1.15): HParams and parse_values, with TF's parsing and type rules
and its error types and texts (the behaviours of TF's hparam_test.py)."""
import pytest

from minitf.contrib import training as contrib_training
from minitf.contrib.training.hparam_pb import HParamDef

HParams, parse_values = contrib_training.HParams, contrib_training.parse_values


def test_empty():
    hparams = HParams()
    assert hparams.values() == {}
    hparams.parse("")
    with pytest.raises(ValueError, match="Unknown hyperparameter type for xyz"):
        hparams.parse("xyz=123")


def test_values_repr_str_and_contains():
    hparams = HParams(aaa=1, b=2.0, c_c="relu6", d="/a/b=c/d")
    assert hparams.values() == {"aaa": 1, "b": 2.0, "c_c": "relu6", "d": "/a/b=c/d"}
    assert repr(hparams) == ("HParams([('aaa', 1), ('b', 2.0), ('c_c', 'relu6'), "
                             "('d', '/a/b=c/d')])")
    assert str(hparams) == "aaa=1,b=2.0,c_c=relu6,d=/a/b=c/d"
    assert "aaa" in hparams and "zz" not in hparams


def test_parse_scalars_as_tf():
    hparams = HParams(aaa=1, b=2.0, c_c="relu6", d="/a/b=c/d")
    assert hparams.parse("aaa=12") is hparams
    hparams.parse("c_c=relu4, b=-2.0e10")
    assert (hparams.aaa, hparams.b, hparams.c_c) == (12, -2.0e10, "relu4")
    hparams.parse("c_c=,b=0,")
    assert (hparams.b, hparams.c_c) == (0.0, "") and type(hparams.b) is float
    hparams.parse('c_c=2.3",b=+2,')
    assert (hparams.b, hparams.c_c) == (2.0, '2.3"')
    hparams.parse("b=1.5,d=/a=b/c/d,aaa=10,")
    assert hparams.values() == {"aaa": 10, "b": 1.5, "c_c": '2.3"', "d": "/a=b/c/d"}


@pytest.mark.parametrize("text, words", [
    ("x=123", "Unknown hyperparameter type for x"),
    ("aaa=poipoi", "Could not parse hparam 'aaa' of type 'int' with value 'poipoi' in "
                   "aaa=poipoi"),
    ("aaa=1.0", "Could not parse hparam 'aaa'"),
    ("b=12x", "Could not parse hparam 'b' of type 'float'"),
    ("b=relu", "Could not parse hparam 'b'"),
    ("aaa=[123]", "Must not pass a list for single-valued parameter: aaa"),
    ("aaa=1,aaa=2", "Multiple assignments to variable 'aaa' in aaa=1,aaa=2"),
    ("=1", "Malformed hyperparameter value: =1"),
])
def test_parse_errors_are_tfs(text, words):
    hparams = HParams(aaa=1, b=2.0)
    with pytest.raises(ValueError, match=words.replace("[", r"\[").replace("]", r"\]")):
        hparams.parse(text)
    assert hparams.values() == {"aaa": 1, "b": 2.0}


def test_period_in_names():
    hparams = HParams()
    hparams.add_hparam("a.b", 0.0)
    hparams.parse("a.b=1.0")
    assert getattr(hparams, "a.b") == 1.0
    hparams.add_hparam("d..", 0.0)
    hparams.parse("d..=10.0")
    assert getattr(hparams, "d..") == 10.0


@pytest.mark.parametrize("text", ["true", "false", "True", "False", "1", "0"])
@pytest.mark.parametrize("initial", [False, True])
def test_bool_parsing_and_proto_round_trip(text, initial):
    hparams = HParams(use_gpu=initial).parse("use_gpu=" + text)
    assert hparams.use_gpu is (text in ("True", "true", "1"))
    again = HParams(hparam_def=hparams.to_proto())
    assert again.use_gpu is hparams.use_gpu


def test_bool_parse_failure():
    with pytest.raises(ValueError, match="Could not parse hparam 'use_gpu' of type 'bool'"):
        HParams(use_gpu=True).parse("use_gpu=yep")


def test_lists():
    hparams = HParams(aaa=[1], b=[2.0, 3.0], c_c=["relu6"])
    hparams.parse("aaa=[12,34,56]")
    assert hparams.aaa == [12, 34, 56]
    hparams.parse("c_c=[relu4,relu12],b=[1.0]")
    assert (hparams.c_c, hparams.b) == (["relu4", "relu12"], [1.0])
    hparams.parse("c_c=[],aaa=[-34]")
    assert (hparams.c_c, hparams.aaa) == ([], [-34])
    hparams.parse("c_c=[_12,3'4\"],aaa=[+3]")
    assert (hparams.c_c, hparams.aaa) == (["_12", "3'4\""], [3])
    with pytest.raises(ValueError, match="Could not parse hparam 'aaa'"):
        hparams.parse("aaa=[1.0]")
    with pytest.raises(ValueError, match=r"Must pass a list for multi-valued parameter: aaa\."):
        hparams.parse("aaa=123")
    again = HParams(hparam_def=hparams.to_proto())
    assert again.values() == {"aaa": [3], "b": [1.0], "c_c": ["_12", "3'4\""]}


def test_str_parses_back():
    source = HParams(a=1, b=[2.0, 3.0], c="relu6")
    target = HParams(a=4, b=[5.0, 6.0], c="relu10").parse(str(source))
    assert target.values() == source.values()


def test_parse_values_index_assignments():
    assert parse_values("arr[1]=10", {"arr": int}) == {"arr": {1: 10}}
    assert parse_values("arr[0]=10,arr[5]=20,L[5]=100", {"arr": int, "L": int}) == {
        "arr": {0: 10, 5: 20}, "L": {5: 100}}
    assert parse_values("a[0]=5,b[1]=true,c[2]=abc,d[3]=3.14",
                        {"a": int, "b": bool, "c": str, "d": float}) == {
        "a": {0: 5}, "b": {1: True}, "c": {2: "abc"}, "d": {3: 3.14}}
    assert parse_values("x=10,foo[0]=bar,arr[1]=20,zzz=78", {"x": int, "arr": int},
                        ignore_unknown=True) == {"x": 10, "arr": {1: 20}}


@pytest.mark.parametrize("text, type_map, words", [
    ("arr[1]=[1,2,3]", {"arr": int}, "Assignment of a list to a list index."),
    ("arr[1]=5", {}, "Unknown hyperparameter type for arr"),
    ("arr[1]=1", {"arr[1]": int}, "Unknown hyperparameter type for arr"),
    ("x=1,x=1", {"x": int}, "Multiple assignments to variable 'x'"),
    ("arr=[100,200],arr[0]=10", {"arr": int}, "Multiple assignments to variable 'arr'"),
    ("arr[0]=10,arr[0]=20", {"arr": int}, r"Multiple assignments to variable 'arr\[0\]'"),
    ("arr[0]=10,arr=[100]", {"arr": int}, "Multiple assignments to variable 'arr'"),
])
def test_parse_values_errors(text, type_map, words):
    with pytest.raises(ValueError, match=words):
        parse_values(text, type_map)


def test_json():
    hparams = HParams(aaa=1, b=2.0, c_c="relu6", d=True)
    hparams.parse_json('{"aaa": 12, "b": 3.0, "c_c": "relu4", "d": false}')
    assert hparams.values() == {"aaa": 12, "b": 3.0, "c_c": "relu4", "d": False}
    other = HParams(aaa=10, b=20.0, c_c="hello", d=True).parse_json(hparams.to_json())
    assert other.values() == hparams.values()
    assert HParams(aaa=123).to_json() == '{"aaa": 123}'
    assert HParams(aaa=123).to_json(indent=2) == '{\n  "aaa": 123\n}'
    assert HParams(aaa=123).to_json(separators=(";", "=")) == '{"aaa"=123}'
    assert HParams(c_c=False, aaa=123, b="hello").to_json(sort_keys=True) == (
        '{"aaa": 123, "b": "hello", "c_c": false}')


def test_override_from_dict():
    hparams = HParams(x=1, b=2.0, d=[0.5])
    assert hparams.override_from_dict({"d": [0.1, 0.2, 0.3], "x": -2}) is hparams
    assert hparams.values() == {"x": -2, "b": 2.0, "d": [0.1, 0.2, 0.3]}
    with pytest.raises(KeyError):
        hparams.override_from_dict({"nope": 1})


def test_set_hparam_type_rules():
    hparams = HParams(int_=1, str_="str", bool_=True, float_=1.1, list_int=[1, 2], none=None)
    for name, value in [("str_", 2.2), ("int_", False), ("bool_", 1), ("bool_", "true"),
                        ("bool_", "0"), ("int_", 2.2), ("list_int", [2, 3.3]), ("int_", "2")]:
        with pytest.raises(ValueError, match=f"Could not cast hparam '{name}'"):
            hparams.set_hparam(name, value)
    hparams.set_hparam("float_", 1)  # an int into a float: cast
    assert hparams.float_ == 1.0 and type(hparams.float_) is float
    hparams.set_hparam("none", "1")  # a NoneType hyperparameter takes anything
    assert hparams.none == "1"
    with pytest.raises(ValueError, match="Must not pass a list for single-valued parameter: int_"):
        hparams.set_hparam("int_", [1])
    with pytest.raises(ValueError, match="Must pass a list for multi-valued parameter"):
        hparams.set_hparam("list_int", 1)
    with pytest.raises(KeyError):
        hparams.set_hparam("missing", 1)
    message = "Could not cast hparam 'int_' of type '<class 'int'>' from value 2.2"
    with pytest.raises(ValueError) as info:
        hparams.set_hparam("int_", 2.2)
    assert str(info.value) == message


def test_set_hparam_keeps_an_object_of_the_exact_type():
    class Context:
        def __init__(self, a):
            self.a = a

    hparams = HParams(x=Context(1))
    new = Context(2)
    hparams.set_hparam("x", new)
    assert hparams.x is new


def test_get():
    hparams = HParams(aaa=1, b=2.0, c_c="relu6", d=True, e=[5.0, 6.0])
    assert [hparams.get(k) for k in ("aaa", "b", "c_c", "d", "e")] == [
        1, 2.0, "relu6", True, [5.0, 6.0]]
    assert hparams.get("b", 3) == 2.0 and hparams.get("e", [1, 2, 3]) == [5.0, 6.0]
    for key, default in [("aaa", 2.0), ("b", False), ("c_c", [1, 2, 3]), ("d", "relu"),
                         ("e", 123.0), ("e", ["a", "b"])]:
        with pytest.raises(ValueError, match=f"Hparam '{key}' of type"):
            hparams.get(key, default)
    assert hparams.get("unknown") is None and hparams.get("unknown", [1]) == [1]


def test_add_and_del():
    hparams = HParams(aaa=1, b=2.0)
    with pytest.raises(ValueError, match="Hyperparameter name is reserved: aaa"):
        hparams.add_hparam("aaa", "will fail")
    with pytest.raises(ValueError, match="Hyperparameter name is reserved: values"):
        hparams.add_hparam("values", 1)
    with pytest.raises(ValueError, match="Multi-valued hyperparameters cannot be empty: z"):
        hparams.add_hparam("z", [])
    hparams.del_hparam("aaa")
    hparams.del_hparam("never_there")
    hparams.add_hparam("aaa", "will work")
    hparams.set_hparam("aaa", "still works")
    assert hparams.get("aaa") == "still works"


def test_constructor_proto_rules_and_model_structure():
    with pytest.raises(AssertionError):
        HParams(hparam_def=1)
    with pytest.raises(AssertionError):
        HParams(hparam_def="hello")
    proto = HParams(a=1).to_proto()
    with pytest.raises(ValueError, match="hparam_def and initialization values are mutually "
                                         "exclusive"):
        HParams(hparam_def=proto, b=2)
    structure = object()
    hparams = HParams(model_structure=structure, a=1)
    assert hparams.get_model_structure() is structure
    hparams.set_model_structure(None)
    assert hparams.get_model_structure() is None


def test_proto_fields_and_bytes_are_tfs():
    proto = HParams(i=3, f=0.5, s="hi", b=True, il=[1, 2], fl=[0.25], sl=["x"],
                    bl=[False]).to_proto()
    assert {k: v.WhichOneof("kind") for k, v in proto.hparam.items()} == {
        "i": "int64_value", "f": "float_value", "s": "bytes_value", "b": "bool_value",
        "il": "int64_list", "fl": "float_list", "sl": "bytes_list", "bl": "bool_list"}
    assert proto.hparam["s"].bytes_value == b"hi"
    only = HParamDef()
    only.hparam["i"].int64_value = 3
    assert only.SerializeToString() == b"\n\x07\n\x01i\x12\x02\x08\x03"
    assert HParams.from_proto(HParamDef.FromString(proto.SerializeToString())).values() == {
        "i": 3, "f": 0.5, "s": "hi", "b": True, "il": [1, 2], "fl": [0.25], "sl": ["x"],
        "bl": [False]}
    with pytest.raises(ValueError, match="Unsupported parameter type"):
        HParams(x=None).to_proto()
