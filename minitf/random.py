"""`tf.random`: seeded random ops."""
import types

from minitf.compat_names import get_seed  # noqa: F401
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
from minitf.ops.stateless_random_dists import (  # noqa: F401
    stateless_categorical,
    stateless_multinomial,
    stateless_parameterized_truncated_normal,
    stateless_random_binomial as stateless_binomial,
    stateless_random_gamma as stateless_gamma,
    stateless_random_poisson as stateless_poisson,
)
from minitf.ops.stateless_random_ops import (  # noqa: F401
    fold_in,
    split,
    stateless_random_normal as stateless_normal,
    stateless_random_uniform as stateless_uniform,
    stateless_truncated_normal,
)
from minitf.random_generator import (
    Algorithm,
    Generator,
    create_rng_state,
    get_global_generator,
    set_global_generator,
)

set_seed = set_random_seed
experimental = types.SimpleNamespace(  # (tf.random.experimental)
    index_shuffle=index_shuffle, Algorithm=Algorithm, Generator=Generator,
    create_rng_state=create_rng_state, get_global_generator=get_global_generator,
    set_global_generator=set_global_generator, stateless_fold_in=fold_in, stateless_split=split)
