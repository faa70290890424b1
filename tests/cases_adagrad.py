"""Guard-test cases of train/adagrad.py, adagrad_da.py and proximal.py (see tests/opcases.py):
their ref-variable updates are graph only; the resource ones run eagerly in their own tests."""
_RUN = "tests/test_optimizers_adagrad.py::test_eager_training_equals_graph_training"
_TYPES = ("ApplyAdagrad", "ApplyAdagradDA", "ApplyProximalAdagrad",
          "ApplyProximalGradientDescent")

GRAPH_ONLY = {t for dense in _TYPES for t in (dense, "Sparse" + dense)}
EAGER_ELSEWHERE = {t: _RUN for dense in _TYPES for t in ("Resource" + dense,
                                                         "ResourceSparse" + dense)}
