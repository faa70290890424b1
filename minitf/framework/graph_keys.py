"""GraphKeys: TF1's standard collection names (the same strings TF uses)."""


class GraphKeys:
    """The names of the standard graph collections (`tf.GraphKeys`), the strings TF uses.

    For example `tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)` lists the trainable
    variables; `GLOBAL_VARIABLES`, `LOCAL_VARIABLES`, `REGULARIZATION_LOSSES`, `UPDATE_OPS`,
    `GLOBAL_STEP` and `TRAIN_OP` are the others minitf itself fills.
    """

    GLOBAL_VARIABLES = "variables"
    VARIABLES = "variables"  # the pre-1.0 alias TF1 keeps
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
