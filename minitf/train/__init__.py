"""`tf.train`: optimizers, the global step and checkpoints."""
from minitf.framework.config_pb import ClusterDef, JobDef
from minitf.framework.example_pb import (
    BytesList,
    Example,
    Feature,
    FeatureList,
    FeatureLists,
    Features,
    FloatList,
    Int64List,
    SequenceExample,
)
from minitf.framework.saver_pb import SaverDef
from minitf.ops.sdca_ops import sdca_fprint, sdca_optimizer, sdca_shrink_l1
from minitf.summary_events import summary_iterator
from minitf.train.adadelta import AdadeltaOptimizer
from minitf.train.adagrad import AdagradOptimizer
from minitf.train.adagrad_da import AdagradDAOptimizer
from minitf.train.adam import AdamOptimizer
from minitf.train.basic_loops import basic_train_loop
from minitf.train.basic_session_run_hooks import (
    FeedFnHook,
    FinalOpsHook,
    GlobalStepWaiterHook,
    LoggingTensorHook,
    NanLossDuringTrainingError,
    NanTensorHook,
    SecondOrStepTimer,
    StepCounterHook,
    StopAtStepHook,
)
from minitf.train.checkpoint_management import (
    checkpoints_iterator,
    generate_checkpoint_state_proto,
    get_checkpoint_mtimes,
    remove_checkpoint,
)
from minitf.train.checkpoint_manager import CheckpointManager
from minitf.train.checkpoint_saver_hook import CheckpointSaverHook, CheckpointSaverListener
from minitf.train.checkpoint_utils import (
    NewCheckpointReader,
    init_from_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from minitf.train.cluster_spec import ClusterSpec
from minitf.train.coordinator import Coordinator, LooperThread
from minitf.train.device_setter import replica_device_setter
from minitf.train.ftrl import FtrlOptimizer
from minitf.train.gradient_descent import GradientDescentOptimizer
from minitf.train.graph_io import write_graph
from minitf.train.learning_rate_decay import (
    cosine_decay,
    cosine_decay_restarts,
    exponential_decay,
    inverse_time_decay,
    linear_cosine_decay,
    natural_exp_decay,
    noisy_linear_cosine_decay,
    piecewise_constant,
    piecewise_constant_decay,
    polynomial_decay,
)
from minitf.train.meta_graph import export_meta_graph
from minitf.train.meta_graph_import import import_meta_graph
from minitf.train.momentum import MomentumOptimizer
from minitf.train.monitored_session import (
    ChiefSessionCreator,
    MonitoredSession,
    SessionCreator,
    SingularMonitoredSession,
    WorkerSessionCreator,
)
from minitf.train.moving_averages import ExponentialMovingAverage
from minitf.train.object_checkpoint import Checkpoint, CheckpointOptions
from minitf.train.optimizer import Optimizer
from minitf.train.profiler_hook import ProfilerHook
from minitf.train.proximal import (
    ProximalAdagradOptimizer,
    ProximalGradientDescentOptimizer,
)
from minitf.train.rmsprop import RMSPropOptimizer
from minitf.train.saver import (
    Saver,
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
    update_checkpoint_state,
)
from minitf.train.scaffold import Scaffold
from minitf.train.session_manager import SessionManager
from minitf.train.session_run_hook import (
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
)
from minitf.train.step_util import assert_global_step
from minitf.train.summary_saver_hook import SummarySaverHook
from minitf.train.supervisor import Supervisor
from minitf.train.training_session import MonitoredTrainingSession
from minitf.train.training_util import (
    create_global_step,
    get_global_step,
    get_or_create_global_step,
    global_step,
)
from minitf.train.warm_starting import VocabInfo, warm_start

__all__ = ["Optimizer", "GradientDescentOptimizer", "MomentumOptimizer", "AdamOptimizer",
           "RMSPropOptimizer", "AdadeltaOptimizer", "FtrlOptimizer",
           "AdagradOptimizer", "AdagradDAOptimizer", "ProximalAdagradOptimizer",
           "ProximalGradientDescentOptimizer",
           "get_global_step", "get_or_create_global_step", "create_global_step", "global_step",
           "Saver", "latest_checkpoint", "get_checkpoint_state", "update_checkpoint_state",
           "SaverDef", "write_graph", "checkpoint_exists", "load_checkpoint", "list_variables",
           "load_variable", "export_meta_graph", "import_meta_graph",
           "init_from_checkpoint", "NewCheckpointReader",
           "exponential_decay", "piecewise_constant", "piecewise_constant_decay",
           "polynomial_decay", "natural_exp_decay",
           "inverse_time_decay", "cosine_decay", "cosine_decay_restarts", "linear_cosine_decay",
           "noisy_linear_cosine_decay", "ExponentialMovingAverage",
           "SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues",
           "StopAtStepHook", "LoggingTensorHook", "CheckpointSaverHook",
           "CheckpointSaverListener", "NanTensorHook", "NanLossDuringTrainingError",
           "StepCounterHook", "FinalOpsHook", "FeedFnHook", "GlobalStepWaiterHook",
           "SecondOrStepTimer", "Scaffold", "SessionCreator", "ChiefSessionCreator",
           "WorkerSessionCreator", "MonitoredSession", "SingularMonitoredSession",
           "MonitoredTrainingSession", "SessionManager", "Coordinator", "LooperThread",
           "basic_train_loop", "assert_global_step", "checkpoints_iterator",
           "get_checkpoint_mtimes", "remove_checkpoint", "generate_checkpoint_state_proto",
           "Example", "Features", "Feature", "BytesList", "FloatList", "Int64List",
           "SequenceExample", "FeatureList", "FeatureLists", "ClusterSpec", "ClusterDef",
           "JobDef", "replica_device_setter", "warm_start", "VocabInfo", "sdca_optimizer",
           "sdca_shrink_l1", "sdca_fprint", "SummarySaverHook", "summary_iterator",
           "Supervisor", "ProfilerHook", "Checkpoint", "CheckpointManager",
           "CheckpointOptions"]
