"""Control flow with TF1's semantics: `cond`/`case`/`switch_case` (cond.py), `while_loop`
(while_loop.py), `TensorArray` (tensor_array.py) and `map_fn`/`scan`/`foldl`/`foldr`
(functional.py).

A layer above the op families: a cond or loop runs its ops as sub-plans (minitf/plan.py) and
differentiates them with tf.gradients, so it sits beside gradients and plan, below the session.
"""
