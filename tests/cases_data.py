"""tf.data's ops for the guard tests: dataset and iterator ops run in TF1 graphs only (their
values are checked in tests/test_data.py and tests/test_data_iterators.py)."""

GRAPH_ONLY = {
    "TensorSliceDataset", "TensorDataset", "RangeDataset", "BatchDatasetV2",
    "PaddedBatchDatasetV2", "ShuffleDataset", "RepeatDataset", "TakeDataset", "SkipDataset",
    "PrefetchDataset", "ZipDataset", "ConcatenateDataset", "CacheDataset", "UnbatchDataset",
    "MapDataset", "ParallelMapDatasetV2", "FilterDataset", "FlatMapDataset",
    "InterleaveDataset", "GeneratorDataset", "IteratorV2", "OneShotIterator", "MakeIterator",
    "IteratorGetNext", "ReduceDataset", "ShardDataset", "IteratorToStringHandle",
    "IteratorFromStringHandleV2", "TextLineDataset",
}
