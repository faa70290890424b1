"""`tf.random`: seeded random ops."""
import types

from minitf.framework.random_seed import set_random_seed
from minitf.ops.candidate_sampling_ops import (  # noqa: F401
    all_candidate_sampler,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
from minitf.ops.random_gamma_ops import random_gamma as gamma, random_poisson as poisson  # noqa: F401
from minitf.ops.random_index_shuffle import index_shuffle
from minitf.ops.random_more_ops import (  # noqa: F401
    categorical,
    multinomial,
    random_shuffle as shuffle,
)
from minitf.ops.random_ops import *  # noqa: F403
from minitf.ops.random_ops import normal, uniform  # noqa: F401

set_seed = set_random_seed
experimental = types.SimpleNamespace(index_shuffle=index_shuffle)  # (tf.random.experimental)
