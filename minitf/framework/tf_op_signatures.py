"""TF's op interfaces for the op types minitf registers: their input and output args and attrs
(names, types, defaults), as TF 2.21's op registrations declare them (read from TF's OpDefs;
data only; `~/tfref/bin/python tools/tf_op_signatures.py` regenerates the table from TF's op
registry). graph_to_def.py writes NodeDefs from them and an importer can read them back.

One string per op type: `inputs>outputs>attrs`.
  An arg is `name:type`: `type` names the op's type attr (`T`), or is a fixed dtype (`float`,
  `int32`, `resource`, ...); `N*T` is a list of `N` tensors of type `T`; `[Tlist]` a list of
  tensors whose types the list(type) attr `Tlist` gives; a leading `&` marks a ref input.
  An attr is `name:kind` or `name:kind=default` (default in JSON), separated by `|`.
"""
import json

__all__ = ["signature"]

_SIGNATURES = {
    'x:T>y:T>T:type':
        'Abs Acos Acosh Asin Asinh Atan Atanh BesselI0 BesselI0e BesselI1 BesselI1e Ceil Cos Cosh '
        'Digamma Erf Erfc Erfinv Exp Expm1 Floor Invert Lgamma Log Log1p Ndtri Neg OnesLike '
        'Reciprocal Rint Round Rsqrt Sigmoid Sign Sin Sinh Sqrt Square Tan Tanh ZerosLike',
    'inputs:N*T>sum:T>N:int|T:type': 'AddN',
    'x:T,y:T>z:T>T:type':
        'AddV2 BitwiseAnd BitwiseOr BitwiseXor DivNoNan FloorDiv FloorMod LeftShift Maximum '
        'Minimum Mul MulNoNan Pow RealDiv RightShift SquaredDifference Sub TruncateDiv '
        'TruncateMod Xdivy Xlog1py Xlogy',
    'input:bool,reduction_indices:Tidx>output:bool>keep_dims:bool=false|Tidx:type="DT_INT32"':
        'All Any',
    'true_classes:int64>sampled_candidates:int64,true_expected_count:float,'
    'sampled_expected_count:float>num_true:int|num_sampled:int|unique:bool|seed:int=0|seed2:int=0':
        'AllCandidateSampler',
    'input:T>output:Tout>T:type="DT_COMPLEX64"|Tout:type="DT_FLOAT"': 'Angle Imag Real',
    '&var:T,&accum:T,&accum_update:T,lr:T,rho:T,epsilon:T,grad:T>&out:T>T:type|'
    'use_locking:bool=false':
        'ApplyAdadelta',
    '&var:T,&accum:T,lr:T,grad:T>&out:T>T:type|use_locking:bool=false|update_slots:bool=true':
        'ApplyAdagrad',
    '&var:T,&gradient_accumulator:T,&gradient_squared_accumulator:T,grad:T,lr:T,l1:T,l2:T,'
    'global_step:int64>&out:T>T:type|use_locking:bool=false':
        'ApplyAdagradDA',
    '&var:T,&m:T,&v:T,beta1_power:T,beta2_power:T,lr:T,beta1:T,beta2:T,epsilon:T,grad:T>&out:T>'
    'T:type|use_locking:bool=false|use_nesterov:bool=false':
        'ApplyAdam',
    '&var:T,&mg:T,&ms:T,&mom:T,lr:T,rho:T,momentum:T,epsilon:T,grad:T>&out:T>T:type|'
    'use_locking:bool=false':
        'ApplyCenteredRMSProp',
    '&var:T,&accum:T,&linear:T,grad:T,lr:T,l1:T,l2:T,lr_power:T>&out:T>T:type|'
    'use_locking:bool=false|multiply_linear_by_lr:bool=false':
        'ApplyFtrl',
    '&var:T,&accum:T,&linear:T,grad:T,lr:T,l1:T,l2:T,l2_shrinkage:T,lr_power:T>&out:T>T:type|'
    'use_locking:bool=false|multiply_linear_by_lr:bool=false':
        'ApplyFtrlV2',
    '&var:T,alpha:T,delta:T>&out:T>T:type|use_locking:bool=false': 'ApplyGradientDescent',
    '&var:T,&accum:T,lr:T,grad:T,momentum:T>&out:T>T:type|use_locking:bool=false|'
    'use_nesterov:bool=false':
        'ApplyMomentum',
    '&var:T,&accum:T,lr:T,l1:T,l2:T,grad:T>&out:T>T:type|use_locking:bool=false':
        'ApplyProximalAdagrad',
    '&var:T,alpha:T,l1:T,l2:T,delta:T>&out:T>T:type|use_locking:bool=false':
        'ApplyProximalGradientDescent',
    '&var:T,&ms:T,&mom:T,lr:T,rho:T,momentum:T,epsilon:T,grad:T>&out:T>T:type|'
    'use_locking:bool=false':
        'ApplyRMSProp',
    'input:T>values:T,indices:int32>k:int|reduction_dimension:int=-1|'
    'recall_target:float=0.949999988079071|is_max_k:bool=true|'
    'reduction_input_size_override:int=-1|aggregate_to_topk:bool=true|T:type':
        'ApproxTopK',
    'input:T,dimension:Tidx>output:output_type>T:type|Tidx:type="DT_INT32"|'
    'output_type:type="DT_INT64"':
        'ArgMax ArgMin',
    'condition:bool,data:[T]>>T:list(type)|summarize:int=3': 'Assert',
    '&ref:T,value:T>&output_ref:T>T:type|validate_shape:bool=true|use_locking:bool=true': 'Assign',
    '&ref:T,value:T>&output_ref:T>T:type|use_locking:bool=false': 'AssignAdd AssignSub',
    'resource:resource,value:dtype>>dtype:type': 'AssignAddVariableOp AssignSubVariableOp',
    'resource:resource,value:dtype>>dtype:type|validate_shape:bool=false': 'AssignVariableOp',
    'y:T,x:T>z:T>T:type': 'Atan2',
    'tag:string,tensor:float,sample_rate:float>summary:string>max_outputs:int=3': 'AudioSummaryV2',
    'value:T>output:T>ksize:list(int)|strides:list(int)|padding:string|data_format:string="NHWC"|'
    'T:type':
        'AvgPool',
    'input:T>output:T>ksize:list(int)|strides:list(int)|padding:string|data_format:string="NDHWC"|'
    'T:type':
        'AvgPool3D MaxPool3D',
    'orig_input_shape:int32,grad:T>output:T>ksize:list(int)|strides:list(int)|padding:string|'
    'data_format:string="NDHWC"|T:type':
        'AvgPool3DGrad',
    'orig_input_shape:int32,grad:T>output:T>ksize:list(int)|strides:list(int)|padding:string|'
    'data_format:string="NHWC"|T:type':
        'AvgPoolGrad',
    'input_dataset:variant,batch_size:int64,drop_remainder:bool>handle:variant>'
    'parallel_copy:bool=false|output_types:list(type)|output_shapes:list(shape)|metadata:string=""':
        'BatchDatasetV2',
    'x:T,y:T>output:T>T:type|adj_x:bool=false|adj_y:bool=false|grad_x:bool=false|grad_y:bool=false':
        'BatchMatMulV2',
    'input:T,block_shape:Tblock_shape,crops:Tcrops>output:T>T:type|Tblock_shape:type="DT_INT32"|'
    'Tcrops:type="DT_INT32"':
        'BatchToSpaceND',
    'a:T,b:T,x:T>z:T>T:type': 'Betainc',
    'value:T,bias:T>output:T>T:type|data_format:string="NHWC"': 'BiasAdd',
    'input:T>output:type>T:type|type:type': 'Bitcast',
    's0:T,s1:T>r0:T>T:type="DT_INT32"': 'BroadcastArgs',
    'input:T,shape:Tidx>output:T>T:type|Tidx:type="DT_INT32"': 'BroadcastTo',
    'inputs:T,sequence_length:int32>decoded_indices:top_paths*int64,'
    'decoded_values:top_paths*int64,decoded_shape:top_paths*int64,log_probability:T>'
    'beam_width:int|top_paths:int|merge_repeated:bool=true|T:type="DT_FLOAT"':
        'CTCBeamSearchDecoder',
    'inputs:T,sequence_length:int32>decoded_indices:int64,decoded_values:int64,'
    'decoded_shape:int64,log_probability:T>merge_repeated:bool=false|blank_index:int=-1|'
    'T:type="DT_FLOAT"':
        'CTCGreedyDecoder',
    'inputs:T,labels_indices:int64,labels_values:int32,sequence_length:int32>loss:T,gradient:T>'
    'preprocess_collapse_repeated:bool=false|ctc_merge_repeated:bool=true|'
    'ignore_longer_outputs_than_inputs:bool=false|T:type="DT_FLOAT"':
        'CTCLoss',
    'input_dataset:variant,filename:string>handle:variant>output_types:list(type)|'
    'output_shapes:list(shape)|metadata:string=""':
        'CacheDataset',
    'x:SrcT>y:DstT>SrcT:type|DstT:type|Truncate:bool=false': 'Cast',
    'tensor:T>output:T>T:type|message:string': 'CheckNumerics',
    'tensor:T>output:T>T:type': 'CheckPinned',
    'input:T>output:T>T:type':
        'Cholesky GuaranteeConst Identity MatrixDeterminant MatrixExponential MatrixLogarithm '
        'MatrixSquareRoot StopGradient',
    'real:T,imag:T>out:Tout>T:type="DT_FLOAT"|Tout:type="DT_COMPLEX64"': 'Complex',
    'x:T>y:Tout>T:type="DT_COMPLEX64"|Tout:type="DT_FLOAT"': 'ComplexAbs',
    'true_classes:int64,sampled_candidates:int64>indices:int32,ids:int64,weights:float>'
    'num_true:int|seed:int=0|seed2:int=0':
        'ComputeAccidentalHits',
    'values:N*T,axis:Tidx>output:T>N:int|T:type|Tidx:type="DT_INT32"': 'ConcatV2',
    'input_dataset:variant,another_dataset:variant>handle:variant>output_types:list(type)|'
    'output_shapes:list(shape)|metadata:string=""':
        'ConcatenateDataset',
    'input:T>output:T>T:type="DT_COMPLEX64"': 'Conj',
    '>output:dtype>value:tensor|dtype:type': 'Const',
    'input:T,filter:T>output:T>T:type|strides:list(int)|padding:string|'
    'explicit_paddings:list(int)=[]|data_format:string="CHANNELS_LAST"|dilations:list(int)=[]|'
    'batch_dims:int=1|groups:int=1':
        'Conv',
    'input:T,filter:T>output:T>T:type|strides:list(int)|use_cudnn_on_gpu:bool=true|padding:string|'
    'explicit_paddings:list(int)=[]|data_format:string="NHWC"|dilations:list(int)=[1,1,1,1]':
        'Conv2D',
    'input:T,filter_sizes:int32,out_backprop:T>output:T>T:type|strides:list(int)|'
    'use_cudnn_on_gpu:bool=true|padding:string|explicit_paddings:list(int)=[]|'
    'data_format:string="NHWC"|dilations:list(int)=[1,1,1,1]':
        'Conv2DBackpropFilter',
    'input:T,filter:T,out_backprop:T>output:T>T:type|strides:list(int)|use_cudnn_on_gpu:bool=true|'
    'padding:string|explicit_paddings:list(int)=[]|data_format:string="NHWC"|'
    'dilations:list(int)=[1,1,1,1]':
        'Conv2DBackpropFilterV2 Conv2DBackpropInputV2',
    'input_sizes:int32,filter:T,out_backprop:T>output:T>T:type|strides:list(int)|'
    'use_cudnn_on_gpu:bool=true|padding:string|explicit_paddings:list(int)=[]|'
    'data_format:string="NHWC"|dilations:list(int)=[1,1,1,1]':
        'Conv2DBackpropInput',
    'input:T,filter:T>output:T>T:type|strides:list(int)|padding:string|data_format:string="NDHWC"|'
    'dilations:list(int)=[1,1,1,1,1]':
        'Conv3D',
    'input:T,filter_sizes:int32,out_backprop:T>output:T>T:type|strides:list(int)|padding:string|'
    'data_format:string="NDHWC"|dilations:list(int)=[1,1,1,1,1]':
        'Conv3DBackpropFilterV2',
    'input_sizes:Tshape,filter:T,out_backprop:T>output:T>T:type|strides:list(int)|padding:string|'
    'data_format:string="NDHWC"|dilations:list(int)=[1,1,1,1,1]|Tshape:type="DT_INT32"':
        'Conv3DBackpropInputV2',
    '&ref:T>output:T>limit:int|T:type': 'CountUpTo',
    'a:T,b:T>product:T>T:type': 'Cross',
    'x:T,axis:Tidx>out:T>exclusive:bool=false|reverse:bool=false|T:type|Tidx:type="DT_INT32"':
        'Cumprod Cumsum CumulativeLogsumexp',
    'handle:string>>': 'DeleteSessionTensor',
    'input:Tidx,size:Tidx,weights:T>output:T>Tidx:type|T:type|binary_output:bool=false':
        'DenseBincount',
    'input:T>output:T>T:type|block_size:int|data_format:string="NHWC"': 'DepthToSpace SpaceToDepth',
    'input:T,filter:T>output:T>T:type|strides:list(int)|padding:string|'
    'explicit_paddings:list(int)=[]|data_format:string="NHWC"|dilations:list(int)=[1,1,1,1]':
        'DepthwiseConv2dNative',
    'input:T,filter_sizes:int32,out_backprop:T>output:T>T:type|strides:list(int)|padding:string|'
    'explicit_paddings:list(int)=[]|data_format:string="NHWC"|dilations:list(int)=[1,1,1,1]':
        'DepthwiseConv2dNativeBackpropFilter',
    'input_sizes:int32,filter:T,out_backprop:T>output:T>T:type|strides:list(int)|padding:string|'
    'explicit_paddings:list(int)=[]|data_format:string="NHWC"|dilations:list(int)=[1,1,1,1]':
        'DepthwiseConv2dNativeBackpropInput',
    'input:T,min_range:float,max_range:float>output:dtype>T:type|mode:string="MIN_COMBINED"|'
    'narrow_range:bool=false|axis:int=-1|dtype:type="DT_FLOAT"':
        'Dequantize',
    'diagonal:T>output:T>T:type': 'Diag MatrixDiag',
    'input:T>diagonal:T>T:type': 'DiagPart MatrixDiagPart',
    'input:T,filter:T>output:T>T:type|strides:list(int)|rates:list(int)|padding:string':
        'Dilation2D',
    'input:T,filter:T,out_backprop:T>filter_backprop:T>T:type|strides:list(int)|rates:list(int)|'
    'padding:string':
        'Dilation2DBackpropFilter',
    'input:T,filter:T,out_backprop:T>in_backprop:T>T:type|strides:list(int)|rates:list(int)|'
    'padding:string':
        'Dilation2DBackpropInput',
    'data:T,partitions:int32>outputs:num_partitions*T>num_partitions:int|T:type':
        'DynamicPartition',
    'indices:N*int32,data:N*T>merged:T>N:int|T:type': 'DynamicStitch',
    'input:[Tin]>output:[Tout]>token:string|is_async:bool=false|Tin:list(type)|Tout:list(type)':
        'EagerPyFunc',
    'inputs:N*T>output:T>equation:string|N:int|T:type': 'Einsum',
    'features:T>activations:T>T:type': 'Elu Relu Relu6 Selu Softplus Softsign',
    'input:T>output:T>shape:shape|T:type': 'EnsureShape',
    'x:T,y:T>z:bool>T:type|incompatible_shape_error:bool=true': 'Equal NotEqual',
    'input:T,reduction_indices:Tidx>output:T>keep_dims:bool=false|T:type|Tidx:type="DT_INT32"':
        'EuclideanNorm Max Mean Min Prod Sum',
    'input:T,dim:Tdim>output:T>T:type|Tdim:type="DT_INT32"': 'ExpandDims',
    'input:T>patches:T>ksizes:list(int)|strides:list(int)|T:type|padding:string':
        'ExtractVolumePatches',
    'input:Tcomplex>output:Tcomplex>Tcomplex:type="DT_COMPLEX64"':
        'FFT FFT2D FFT3D IFFT IFFT2D IFFT3D',
    'input:Tcomplex,fft_length:int32,axes:int32>output:Tcomplex>Tcomplex:type="DT_COMPLEX64"':
        'FFTND IFFTND',
    'inputs:float>outputs:float>min:float=-6.0|max:float=6.0|num_bits:int=8|'
    'narrow_range:bool=false':
        'FakeQuantWithMinMaxArgs',
    'gradients:float,inputs:float>backprops:float>min:float=-6.0|max:float=6.0|num_bits:int=8|'
    'narrow_range:bool=false':
        'FakeQuantWithMinMaxArgsGradient',
    'inputs:float,min:float,max:float>outputs:float>num_bits:int=8|narrow_range:bool=false':
        'FakeQuantWithMinMaxVars FakeQuantWithMinMaxVarsPerChannel',
    'gradients:float,inputs:float,min:float,max:float>backprops_wrt_input:float,'
    'backprop_wrt_min:float,backprop_wrt_max:float>num_bits:int=8|narrow_range:bool=false':
        'FakeQuantWithMinMaxVarsGradient FakeQuantWithMinMaxVarsPerChannelGradient',
    'dims:index_type,value:T>output:T>T:type|index_type:type="DT_INT32"': 'Fill',
    'input_dataset:variant,other_arguments:[Targuments]>handle:variant>predicate:func|'
    'Targuments:list(type)|output_types:list(type)|output_shapes:list(shape)|metadata:string=""':
        'FilterDataset',
    'data:T,method:string>fingerprint:uint8>T:type': 'Fingerprint',
    'true_classes:int64>sampled_candidates:int64,true_expected_count:float,'
    'sampled_expected_count:float>num_true:int|num_sampled:int|unique:bool|range_max:int|'
    'vocab_file:string=""|distortion:float=1.0|num_reserved_ids:int=0|num_shards:int=1|'
    'shard:int=0|unigrams:list(float)=[]|seed:int=0|seed2:int=0':
        'FixedUnigramCandidateSampler',
    'input_dataset:variant,other_arguments:[Targuments]>handle:variant>f:func|'
    'Targuments:list(type)|output_types:list(type)|output_shapes:list(shape)|metadata:string=""':
        'FlatMapDataset',
    'value:T>output:T,row_pooling_sequence:int64,col_pooling_sequence:int64>'
    'pooling_ratio:list(float)|pseudo_random:bool=false|overlapping:bool=false|'
    'deterministic:bool=false|seed:int=0|seed2:int=0|T:type':
        'FractionalAvgPool FractionalMaxPool',
    'orig_input_tensor_shape:int64,out_backprop:T,row_pooling_sequence:int64,'
    'col_pooling_sequence:int64>output:T>overlapping:bool=false|T:type':
        'FractionalAvgPoolGrad',
    'orig_input:T,orig_output:T,out_backprop:T,row_pooling_sequence:int64,'
    'col_pooling_sequence:int64>output:T>overlapping:bool=false|T:type':
        'FractionalMaxPoolGrad',
    'x:T,scale:U,offset:U,mean:U,variance:U>y:T,batch_mean:U,batch_variance:U,reserve_space_1:U,'
    'reserve_space_2:U,reserve_space_3:U>T:type|U:type|epsilon:float=9.999999747378752e-05|'
    'exponential_avg_factor:float=1.0|data_format:string="NHWC"|is_training:bool=true':
        'FusedBatchNormV3',
    'params:Tparams,indices:Tindices>output:Tparams>Tparams:type|Tindices:type|'
    'bad_indices_policy:string=""':
        'GatherNd',
    'params:Tparams,indices:Tindices,axis:Taxis>output:Tparams>batch_dims:int=0|Tparams:type|'
    'Tindices:type|Taxis:type':
        'GatherV2',
    'new_vocab_file:string,old_vocab_file:string>remapping:int64,num_present:int32>'
    'new_vocab_offset:int|num_new_vocab:int|old_vocab_size:int=-1':
        'GenerateVocabRemapping',
    'init_func_other_args:[Tinit_func_args],next_func_other_args:[Tnext_func_args],'
    'finalize_func_other_args:[Tfinalize_func_args]>handle:variant>init_func:func|next_func:func|'
    'finalize_func:func|Tinit_func_args:list(type)|Tnext_func_args:list(type)|'
    'Tfinalize_func_args:list(type)|output_types:list(type)|output_shapes:list(shape)|'
    'metadata:string=""':
        'GeneratorDataset',
    'value:T>handle:string>T:type': 'GetSessionHandle',
    'handle:string>value:dtype>dtype:type': 'GetSessionTensor',
    'x:T,y:T>z:bool>T:type': 'Greater GreaterEqual Less LessEqual',
    'values:T,value_range:T,nbins:int32>out:dtype>T:type|dtype:type="DT_INT32"':
        'HistogramFixedWidth',
    'tag:string,values:T>summary:string>T:type="DT_FLOAT"': 'HistogramSummary',
    'input:Tcomplex,fft_length:int32>output:Treal>Treal:type="DT_FLOAT"|'
    'Tcomplex:type="DT_COMPLEX64"':
        'IRFFT IRFFT2D IRFFT3D',
    'input:Tcomplex,fft_length:int32,axes:int32>output:Treal>Treal:type="DT_FLOAT"|'
    'Tcomplex:type="DT_COMPLEX64"':
        'IRFFTND',
    'input:[T]>output:[T]>T:list(type)': 'IdentityN',
    'cond:Tcond,input:[Tin]>output:[Tout]>Tcond:type|Tin:list(type)|Tout:list(type)|'
    'then_branch:func|else_branch:func|output_shapes:list(shape)=[]':
        'If',
    'a:T,x:T>z:T>T:type': 'Igamma IgammaGradA Igammac Polygamma',
    'tag:string,tensor:T>summary:string>max_images:int=3|T:type="DT_FLOAT"|'
    'bad_color:tensor="TENSOR"':
        'ImageSummary',
    'predictions:float,targets:T,k:T>precision:bool>T:type="DT_INT32"': 'InTopKV2',
    'input_dataset:variant,other_arguments:[Targuments],cycle_length:int64,block_length:int64>'
    'handle:variant>f:func|Targuments:list(type)|output_types:list(type)|'
    'output_shapes:list(shape)|metadata:string=""':
        'InterleaveDataset',
    'x:T>y:T>T:type="DT_INT32"': 'InvertPermutation',
    'x:T>y:bool>T:type': 'IsFinite IsInf IsNan',
    '&ref:dtype>is_initialized:bool>dtype:type': 'IsVariableInitialized',
    'string_handle:string>resource_handle:resource>output_types:list(type)=[]|'
    'output_shapes:list(shape)=[]':
        'IteratorFromStringHandleV2',
    'iterator:resource>components:[output_types]>output_types:list(type)|output_shapes:list(shape)':
        'IteratorGetNext',
    'resource_handle:resource>string_handle:string>': 'IteratorToStringHandle',
    '>handle:resource>shared_name:string|container:string|output_types:list(type)|'
    'output_shapes:list(shape)':
        'IteratorV2',
    't:T>output:T>T:type': 'L2Loss',
    'input:T>output:T>depth_radius:int=5|bias:float=1.0|alpha:float=1.0|beta:float=0.5|'
    'T:type="DT_FLOAT"':
        'LRN',
    'features:T>activations:T>alpha:float=0.20000000298023224|T:type="DT_FLOAT"': 'LeakyRelu',
    'true_classes:int64>sampled_candidates:int64,true_expected_count:float,'
    'sampled_expected_count:float>num_true:int|num_sampled:int|unique:bool|range_max:int|'
    'seed:int=0|seed2:int=0':
        'LearnedUnigramCandidateSampler LogUniformCandidateSampler UniformCandidateSampler',
    'start:T,stop:T,num:Tidx>output:T>T:type|Tidx:type="DT_INT32"': 'LinSpace',
    'x:T,y:T>out:T,idx:out_idx>T:type|out_idx:type="DT_INT32"': 'ListDiff',
    'ckpt_path:string,old_tensor_name:string,row_remapping:int64,col_remapping:int64,'
    'initializing_values:float>output_matrix:float>num_rows:int|num_cols:int|'
    'max_rows_in_memory:int=-1':
        'LoadAndRemapMatrix',
    'input:T>sign:T,log_abs_determinant:T>T:type': 'LogMatrixDeterminant',
    'logits:T>logsoftmax:T>T:type': 'LogSoftmax',
    'x:bool,y:bool>z:bool>': 'LogicalAnd LogicalOr',
    'x:bool>y:bool>': 'LogicalNot',
    'sorted_inputs:T,values:T>output:out_type>T:type|out_type:type="DT_INT32"':
        'LowerBound UpperBound',
    'input:T>lu:T,p:output_idx_type>T:type|output_idx_type:type="DT_INT32"': 'Lu',
    'dataset:variant,iterator:resource>>': 'MakeIterator',
    'input_dataset:variant,other_arguments:[Targuments]>handle:variant>f:func|'
    'Targuments:list(type)|output_types:list(type)|output_shapes:list(shape)|'
    'use_inter_op_parallelism:bool=true|preserve_cardinality:bool=false|'
    'force_synchronous:bool=false|metadata:string=""':
        'MapDataset',
    'a:T,b:T>product:T>transpose_a:bool=false|transpose_b:bool=false|T:type|grad_a:bool=false|'
    'grad_b:bool=false':
        'MatMul',
    'input:T,num_lower:Tindex,num_upper:Tindex>band:T>T:type|Tindex:type="DT_INT64"':
        'MatrixBandPart',
    'input:T>output:T>adjoint:bool=false|T:type': 'MatrixInverse',
    'input:T,diagonal:T>output:T>T:type': 'MatrixSetDiag',
    'matrix:T,rhs:T>output:T>adjoint:bool=false|T:type': 'MatrixSolve',
    'matrix:T,rhs:T,l2_regularizer:double>output:T>T:type|fast:bool=true': 'MatrixSolveLs',
    'matrix:T,rhs:T>output:T>lower:bool=true|adjoint:bool=false|T:type': 'MatrixTriangularSolve',
    'input:T>output:T>T:type="DT_FLOAT"|ksize:list(int)|strides:list(int)|padding:string|'
    'explicit_paddings:list(int)=[]|data_format:string="NHWC"':
        'MaxPool',
    'orig_input:TInput,orig_output:TInput,grad:T>output:T>ksize:list(int)|strides:list(int)|'
    'padding:string|data_format:string="NDHWC"|T:type="DT_FLOAT"|TInput:type="DT_FLOAT"':
        'MaxPool3DGrad',
    'orig_input:T,orig_output:T,grad:T>output:T>ksize:list(int)|strides:list(int)|padding:string|'
    'data_format:string="NDHWC"|T:type':
        'MaxPool3DGradGrad',
    'orig_input:T,orig_output:T,grad:T>output:T>ksize:list(int)|strides:list(int)|padding:string|'
    'explicit_paddings:list(int)=[]|data_format:string="NHWC"|T:type="DT_FLOAT"':
        'MaxPoolGrad',
    'orig_input:T,orig_output:T,grad:T>output:T>ksize:list(int)|strides:list(int)|padding:string|'
    'data_format:string="NHWC"|T:type':
        'MaxPoolGradGrad',
    'input:T,grad:T,argmax:Targmax>output:T>ksize:list(int)|strides:list(int)|padding:string|'
    'include_batch_in_index:bool=false|Targmax:type|T:type':
        'MaxPoolGradWithArgmax',
    'input:T>output:T,argmax:Targmax>ksize:list(int)|strides:list(int)|Targmax:type="DT_INT64"|'
    'padding:string|include_batch_in_index:bool=false|T:type':
        'MaxPoolWithArgmax',
    'inputs:N*string>summary:string>N:int': 'MergeSummary',
    'checkpoint_prefixes:string,destination_prefix:string>>delete_old_dirs:bool=true|'
    'allow_missing_files:bool=false':
        'MergeV2Checkpoints',
    'input:T,paddings:Tpaddings>output:T>T:type|Tpaddings:type="DT_INT32"|mode:string': 'MirrorPad',
    'logits:T,num_samples:int32>output:output_dtype>seed:int=0|seed2:int=0|T:type|'
    'output_dtype:type="DT_INT64"':
        'Multinomial',
    'x1:T,x2:T>output:T>T:type="DT_FLOAT"': 'NextAfter',
    '>>': 'NoOp',
    'indices:TI,depth:int32,on_value:T,off_value:T>output:T>axis:int=-1|T:type|TI:type="DT_INT64"':
        'OneHot',
    '>handle:resource>dataset_factory:func|output_types:list(type)|output_shapes:list(shape)|'
    'container:string=""|shared_name:string=""':
        'OneShotIterator',
    'values:N*T>output:T>N:int|T:type|axis:int=0': 'Pack',
    'input:T,paddings:Tpaddings>output:T>T:type|Tpaddings:type="DT_INT32"': 'Pad',
    'input:T,paddings:Tpaddings,constant_values:T>output:T>T:type|Tpaddings:type="DT_INT32"':
        'PadV2',
    'input_dataset:variant,batch_size:int64,padded_shapes:N*int64,padding_values:[Toutput_types],'
    'drop_remainder:bool>handle:variant>parallel_copy:bool=false|Toutput_types:list(type)|'
    'output_shapes:list(shape)|N:int|metadata:string=""':
        'PaddedBatchDatasetV2',
    'values:N*T>output:T>N:int|T:type|shape:shape': 'ParallelConcat',
    'input_dataset:variant,other_arguments:[Targuments],num_parallel_calls:int64>handle:variant>'
    'f:func|Targuments:list(type)|output_types:list(type)|output_shapes:list(shape)|'
    'use_inter_op_parallelism:bool=true|deterministic:string="default"|'
    'preserve_cardinality:bool=false|use_unbounded_threadpool:bool=false|metadata:string=""':
        'ParallelMapDatasetV2',
    '>output:dtype>dtype:type|shape:shape=null': 'Placeholder',
    'input:dtype>output:dtype>dtype:type|shape:shape': 'PlaceholderWithDefault',
    'input_dataset:variant,buffer_size:int64>handle:variant>output_types:list(type)|'
    'output_shapes:list(shape)|slack_period:int=0|legacy_autotune:bool=true|buffer_size_min:int=0|'
    'metadata:string=""':
        'PrefetchDataset',
    'input:T>output:T>T:type|message:string=""': 'PreventGradient',
    'input:T,data:[U]>output:T>T:type|U:list(type)|message:string=""|first_n:int=-1|'
    'summarize:int=3':
        'Print',
    'input:string>>output_stream:string="stderr"|end:string="\\n"': 'PrintV2',
    'input:[Tin]>output:[Tout]>token:string|Tin:list(type)|Tout:list(type)': 'PyFunc',
    'input:T>q:T,r:T>full_matrices:bool=false|T:type': 'Qr',
    'input:float,min_range:float,max_range:float>output:T,output_min:float,output_max:float>'
    'T:type|mode:string="MIN_COMBINED"|round_mode:string="HALF_AWAY_FROM_ZERO"|'
    'narrow_range:bool=false|axis:int=-1|ensure_minimum_range:float=0.009999999776482582':
        'QuantizeV2',
    'input:T,min_input:float,max_input:float>output:T,min_output:float,max_output:float>T:type|'
    'ksize:list(int)|strides:list(int)|padding:string':
        'QuantizedAvgPool QuantizedMaxPool',
    'concat_dim:int32,values:N*T,input_mins:N*float,input_maxes:N*float>output:T,output_min:float,'
    'output_max:float>N:int|T:type':
        'QuantizedConcat',
    'input:Tinput,filter:Tfilter,min_input:float,max_input:float,min_filter:float,'
    'max_filter:float>output:out_type,min_output:float,max_output:float>Tinput:type|Tfilter:type|'
    'out_type:type="DT_QINT32"|strides:list(int)|padding:string|dilations:list(int)=[1,1,1,1]':
        'QuantizedConv2D',
    'features:Tinput,max_value:float,min_features:float,max_features:float>activations:out_type,'
    'min_activations:float,max_activations:float>Tinput:type|out_type:type="DT_QUINT8"':
        'QuantizedReluX',
    'input:Treal,fft_length:int32>output:Tcomplex>Treal:type="DT_FLOAT"|'
    'Tcomplex:type="DT_COMPLEX64"':
        'RFFT RFFT2D RFFT3D',
    'input:Treal,fft_length:int32,axes:int32>output:Tcomplex>Treal:type="DT_FLOAT"|'
    'Tcomplex:type="DT_COMPLEX64"':
        'RFFTND',
    'shape:S,alpha:T>output:T>seed:int=0|seed2:int=0|S:type|T:type': 'RandomGamma',
    'alpha:T,sample:T>output:T>T:type': 'RandomGammaGrad',
    'index:dtype,seed:Tseed,max_index:dtype>output:dtype>rounds:int=4|dtype:type|Tseed:type':
        'RandomIndexShuffle',
    'shape:S,rate:R>output:dtype>seed:int=0|seed2:int=0|S:type|R:type="DT_DOUBLE"|'
    'dtype:type="DT_INT64"':
        'RandomPoissonV2',
    'value:T>output:T>seed:int=0|seed2:int=0|T:type': 'RandomShuffle',
    'shape:T>output:dtype>seed:int=0|seed2:int=0|dtype:type|T:type':
        'RandomStandardNormal RandomUniform TruncatedNormal',
    'shape:T,minval:Tout,maxval:Tout>output:Tout>seed:int=0|seed2:int=0|Tout:type|T:type':
        'RandomUniformInt',
    'start:Tidx,limit:Tidx,delta:Tidx>output:Tidx>Tidx:type="DT_INT32"': 'Range',
    'start:int64,stop:int64,step:int64>handle:variant>output_types:list(type)|'
    'output_shapes:list(shape)|metadata:string=""|replicate_on_split:bool=false':
        'RangeDataset',
    'input:T>output:int32>T:type': 'Rank',
    'resource:resource>value:dtype>dtype:type': 'ReadVariableOp',
    'input_dataset:variant,initial_state:[Tstate],other_arguments:[Targuments]>'
    'components:[output_types]>f:func|Tstate:list(type)|Targuments:list(type)|'
    'output_types:list(type)|output_shapes:list(shape)|use_inter_op_parallelism:bool=true|'
    'metadata:string=""':
        'ReduceDataset',
    'input_dataset:variant,count:int64>handle:variant>output_types:list(type)|'
    'output_shapes:list(shape)|metadata:string=""':
        'RepeatDataset SkipDataset TakeDataset',
    'tensor:T,shape:Tshape>output:T>T:type|Tshape:type="DT_INT32"': 'Reshape',
    'var:resource,accum:resource,accum_update:resource,lr:T,rho:T,epsilon:T,grad:T>>T:type|'
    'use_locking:bool=false':
        'ResourceApplyAdadelta',
    'var:resource,accum:resource,lr:T,grad:T>>T:type|use_locking:bool=false|update_slots:bool=true':
        'ResourceApplyAdagrad',
    'var:resource,gradient_accumulator:resource,gradient_squared_accumulator:resource,grad:T,lr:T,'
    'l1:T,l2:T,global_step:int64>>T:type|use_locking:bool=false':
        'ResourceApplyAdagradDA',
    'var:resource,m:resource,v:resource,beta1_power:T,beta2_power:T,lr:T,beta1:T,beta2:T,'
    'epsilon:T,grad:T>>T:type|use_locking:bool=false|use_nesterov:bool=false':
        'ResourceApplyAdam',
    'var:resource,mg:resource,ms:resource,mom:resource,lr:T,rho:T,momentum:T,epsilon:T,grad:T>>'
    'T:type|use_locking:bool=false':
        'ResourceApplyCenteredRMSProp',
    'var:resource,accum:resource,linear:resource,grad:T,lr:T,l1:T,l2:T,lr_power:T>>T:type|'
    'use_locking:bool=false|multiply_linear_by_lr:bool=false':
        'ResourceApplyFtrl',
    'var:resource,accum:resource,linear:resource,grad:T,lr:T,l1:T,l2:T,l2_shrinkage:T,lr_power:T>>'
    'T:type|use_locking:bool=false|multiply_linear_by_lr:bool=false':
        'ResourceApplyFtrlV2',
    'var:resource,alpha:T,delta:T>>T:type|use_locking:bool=false': 'ResourceApplyGradientDescent',
    'var:resource,accum:resource,lr:T,grad:T,momentum:T>>T:type|use_locking:bool=false|'
    'use_nesterov:bool=false':
        'ResourceApplyMomentum',
    'var:resource,accum:resource,lr:T,l1:T,l2:T,grad:T>>T:type|use_locking:bool=false':
        'ResourceApplyProximalAdagrad',
    'var:resource,alpha:T,l1:T,l2:T,delta:T>>T:type|use_locking:bool=false':
        'ResourceApplyProximalGradientDescent',
    'var:resource,ms:resource,mom:resource,lr:T,rho:T,momentum:T,epsilon:T,grad:T>>T:type|'
    'use_locking:bool=false':
        'ResourceApplyRMSProp',
    'resource:resource>output:T>limit:int|T:type': 'ResourceCountUpTo',
    'resource:resource,indices:Tindices,updates:dtype>>dtype:type|Tindices:type':
        'ResourceScatterAdd ResourceScatterDiv ResourceScatterMax ResourceScatterMin '
        'ResourceScatterMul ResourceScatterSub ResourceScatterUpdate',
    'ref:resource,indices:Tindices,updates:T>>T:type|Tindices:type|use_locking:bool=true|'
    'bad_indices_policy:string=""':
        'ResourceScatterNdAdd ResourceScatterNdSub ResourceScatterNdUpdate',
    'var:resource,accum:resource,accum_update:resource,lr:T,rho:T,epsilon:T,grad:T,'
    'indices:Tindices>>T:type|Tindices:type|use_locking:bool=false':
        'ResourceSparseApplyAdadelta',
    'var:resource,accum:resource,lr:T,grad:T,indices:Tindices>>T:type|Tindices:type|'
    'use_locking:bool=false|update_slots:bool=true':
        'ResourceSparseApplyAdagrad',
    'var:resource,gradient_accumulator:resource,gradient_squared_accumulator:resource,grad:T,'
    'indices:Tindices,lr:T,l1:T,l2:T,global_step:int64>>T:type|Tindices:type|'
    'use_locking:bool=false':
        'ResourceSparseApplyAdagradDA',
    'var:resource,mg:resource,ms:resource,mom:resource,lr:T,rho:T,momentum:T,epsilon:T,grad:T,'
    'indices:Tindices>>T:type|Tindices:type|use_locking:bool=false':
        'ResourceSparseApplyCenteredRMSProp',
    'var:resource,accum:resource,linear:resource,grad:T,indices:Tindices,lr:T,l1:T,l2:T,'
    'lr_power:T>>T:type|Tindices:type|use_locking:bool=false|multiply_linear_by_lr:bool=false':
        'ResourceSparseApplyFtrl',
    'var:resource,accum:resource,linear:resource,grad:T,indices:Tindices,lr:T,l1:T,l2:T,'
    'l2_shrinkage:T,lr_power:T>>T:type|Tindices:type|use_locking:bool=false|'
    'multiply_linear_by_lr:bool=false':
        'ResourceSparseApplyFtrlV2',
    'var:resource,accum:resource,lr:T,grad:T,indices:Tindices,momentum:T>>T:type|Tindices:type|'
    'use_locking:bool=false|use_nesterov:bool=false':
        'ResourceSparseApplyMomentum',
    'var:resource,accum:resource,lr:T,l1:T,l2:T,grad:T,indices:Tindices>>T:type|Tindices:type|'
    'use_locking:bool=false':
        'ResourceSparseApplyProximalAdagrad',
    'var:resource,alpha:T,l1:T,l2:T,grad:T,indices:Tindices>>T:type|Tindices:type|'
    'use_locking:bool=false':
        'ResourceSparseApplyProximalGradientDescent',
    'var:resource,ms:resource,mom:resource,lr:T,rho:T,momentum:T,epsilon:T,grad:T,'
    'indices:Tindices>>T:type|Tindices:type|use_locking:bool=false':
        'ResourceSparseApplyRMSProp',
    'prefix:string,tensor_names:string,shape_and_slices:string>tensors:[dtypes]>dtypes:list(type)':
        'RestoreV2',
    'input:T,seq_lengths:Tlen>output:T>seq_dim:int|batch_dim:int=0|T:type|Tlen:type="DT_INT64"':
        'ReverseSequence',
    'tensor:T,axis:Tidx>output:T>Tidx:type="DT_INT32"|T:type': 'ReverseV2',
    'resource:resource,alg:int32,delta:uint64>value:int64>': 'RngReadAndSkip',
    'input:T,shift:Tshift,axis:Taxis>output:T>T:type|Tshift:type|Taxis:type': 'Roll',
    'prefix:string,tensor_names:string,shape_and_slices:string,tensors:[dtypes]>>dtypes:list(type)':
        'SaveV2',
    'tags:string,values:T>summary:string>T:type': 'ScalarSummary',
    '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_locking:bool=false':
        'ScatterAdd ScatterDiv ScatterMax ScatterMin ScatterMul ScatterSub',
    'indices:Tindices,updates:T,shape:Tindices>output:T>T:type|Tindices:type|'
    'bad_indices_policy:string=""':
        'ScatterNd',
    '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_locking:bool=false|'
    'bad_indices_policy:string=""':
        'ScatterNdAdd ScatterNdSub',
    '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_locking:bool=true|'
    'bad_indices_policy:string=""':
        'ScatterNdUpdate',
    '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_locking:bool=true':
        'ScatterUpdate',
    'input:string>output:int64>': 'SdcaFprint',
    'sparse_example_indices:num_sparse_features*int64,'
    'sparse_feature_indices:num_sparse_features*int64,'
    'sparse_feature_values:num_sparse_features_with_values*float,'
    'dense_features:num_dense_features*float,example_weights:float,example_labels:float,'
    'sparse_indices:num_sparse_features*int64,sparse_weights:num_sparse_features*float,'
    'dense_weights:num_dense_features*float,example_state_data:float>out_example_state_data:float,'
    'out_delta_sparse_weights:num_sparse_features*float,'
    'out_delta_dense_weights:num_dense_features*float>loss_type:string|adaptative:bool=false|'
    'num_sparse_features:int|num_sparse_features_with_values:int|num_dense_features:int|l1:float|'
    'l2:float|num_loss_partitions:int|num_inner_iterations:int':
        'SdcaOptimizer',
    '&weights:num_features*float>>num_features:int|l1:float|l2:float': 'SdcaShrinkL1',
    'data:T,segment_ids:Tindices>output:T>T:type|Tindices:type':
        'SegmentMax SegmentMean SegmentMin SegmentProd SegmentSum',
    'condition:bool,t:T,e:T>output:T>T:type': 'Select SelectV2',
    'input:T>e:T,v:T>compute_v:bool=true|T:type': 'SelfAdjointEigV2',
    'input:T>output:out_type>T:type|out_type:type="DT_INT32"': 'Shape Size',
    'input:N*T>output:N*out_type>N:int|T:type|out_type:type="DT_INT32"': 'ShapeN',
    'input_dataset:variant,num_shards:int64,index:int64>handle:variant>'
    'require_non_empty:bool=false|output_types:list(type)|output_shapes:list(shape)|'
    'metadata:string=""':
        'ShardDataset',
    'basename:string,shard:int32,num_shards:int32>filename:string>': 'ShardedFilename',
    'basename:string,num_shards:int32>filename:string>': 'ShardedFilespec',
    'input_dataset:variant,buffer_size:int64,seed:int64,seed2:int64>handle:variant>'
    'reshuffle_each_iteration:bool=true|output_types:list(type)|output_shapes:list(shape)|'
    'metadata:string=""':
        'ShuffleDataset',
    'input:T,begin:Index,size:Index>output:T>T:type|Index:type': 'Slice',
    'dim:int32,num_results:int32,skip:int32>samples:dtype>dtype:type="DT_FLOAT"': 'SobolSample',
    'logits:T>softmax:T>T:type': 'Softmax',
    'features:T,labels:T>loss:T,backprop:T>T:type': 'SoftmaxCrossEntropyWithLogits',
    'input:T,block_shape:Tblock_shape,paddings:Tpaddings>output:T>T:type|'
    'Tblock_shape:type="DT_INT32"|Tpaddings:type="DT_INT32"':
        'SpaceToBatchND',
    '&var:T,&accum:T,&accum_update:T,lr:T,rho:T,epsilon:T,grad:T,indices:Tindices>&out:T>T:type|'
    'Tindices:type|use_locking:bool=false':
        'SparseApplyAdadelta',
    '&var:T,&accum:T,lr:T,grad:T,indices:Tindices>&out:T>T:type|Tindices:type|'
    'use_locking:bool=false|update_slots:bool=true':
        'SparseApplyAdagrad',
    '&var:T,&gradient_accumulator:T,&gradient_squared_accumulator:T,grad:T,indices:Tindices,lr:T,'
    'l1:T,l2:T,global_step:int64>&out:T>T:type|Tindices:type|use_locking:bool=false':
        'SparseApplyAdagradDA',
    '&var:T,&mg:T,&ms:T,&mom:T,lr:T,rho:T,momentum:T,epsilon:T,grad:T,indices:Tindices>&out:T>'
    'T:type|Tindices:type|use_locking:bool=false':
        'SparseApplyCenteredRMSProp',
    '&var:T,&accum:T,&linear:T,grad:T,indices:Tindices,lr:T,l1:T,l2:T,lr_power:T>&out:T>T:type|'
    'Tindices:type|use_locking:bool=false|multiply_linear_by_lr:bool=false':
        'SparseApplyFtrl',
    '&var:T,&accum:T,&linear:T,grad:T,indices:Tindices,lr:T,l1:T,l2:T,l2_shrinkage:T,lr_power:T>'
    '&out:T>T:type|Tindices:type|use_locking:bool=false|multiply_linear_by_lr:bool=false':
        'SparseApplyFtrlV2',
    '&var:T,&accum:T,lr:T,grad:T,indices:Tindices,momentum:T>&out:T>T:type|Tindices:type|'
    'use_locking:bool=false|use_nesterov:bool=false':
        'SparseApplyMomentum',
    '&var:T,&accum:T,lr:T,l1:T,l2:T,grad:T,indices:Tindices>&out:T>T:type|Tindices:type|'
    'use_locking:bool=false':
        'SparseApplyProximalAdagrad',
    '&var:T,alpha:T,l1:T,l2:T,grad:T,indices:Tindices>&out:T>T:type|Tindices:type|'
    'use_locking:bool=false':
        'SparseApplyProximalGradientDescent',
    '&var:T,&ms:T,&mom:T,lr:T,rho:T,momentum:T,epsilon:T,grad:T,indices:Tindices>&out:T>T:type|'
    'Tindices:type|use_locking:bool=false':
        'SparseApplyRMSProp',
    'indices:int64,values:T,dense_shape:int64,default_value:T>output_indices:int64,'
    'output_values:T,empty_row_indicator:bool,reverse_index_map:int64>T:type':
        'SparseFillEmptyRows',
    'reverse_index_map:int64,grad_values:T>d_values:T,d_default_value:T>T:type':
        'SparseFillEmptyRowsGrad',
    'a:Ta,b:Tb>product:float>transpose_a:bool=false|transpose_b:bool=false|a_is_sparse:bool=false|'
    'b_is_sparse:bool=false|Ta:type="DT_FLOAT"|Tb:type="DT_FLOAT"':
        'SparseMatMul',
    'input_indices:int64,input_values:T,input_shape:int64>output_indices:int64,output_values:T>'
    'T:type':
        'SparseReorder',
    'input_indices:int64,input_shape:int64,new_shape:int64>output_indices:int64,'
    'output_shape:int64>':
        'SparseReshape',
    'data:T,indices:Tidx,segment_ids:Tsegmentids>output:T>T:type|Tidx:type="DT_INT32"|'
    'Tsegmentids:type="DT_INT32"|sparse_gradient:bool=false':
        'SparseSegmentMean SparseSegmentSqrtN SparseSegmentSum',
    'data:T,indices:Tidx,segment_ids:Tsegmentids,num_segments:Tnumsegments>output:T>T:type|'
    'Tidx:type="DT_INT32"|Tnumsegments:type="DT_INT32"|Tsegmentids:type="DT_INT32"|'
    'sparse_gradient:bool=false':
        'SparseSegmentMeanWithNumSegments SparseSegmentSqrtNWithNumSegments '
        'SparseSegmentSumWithNumSegments',
    'features:T,labels:Tlabels>loss:T,backprop:T>T:type|Tlabels:type="DT_INT64"':
        'SparseSoftmaxCrossEntropyWithLogits',
    'sparse_indices:Tindices,output_shape:Tindices,sparse_values:T,default_value:T>dense:T>'
    'validate_indices:bool=true|T:type|Tindices:type':
        'SparseToDense',
    'split_dim:int32,value:T>output:num_split*T>num_split:int|T:type': 'Split',
    'value:T,size_splits:Tlen,split_dim:int32>output:num_split*T>num_split:int|T:type|'
    'Tlen:type="DT_INT64"':
        'SplitV',
    'input:T>output:T>T:type|squeeze_dims:list(int)=[]': 'Squeeze',
    'args:[Tin]>output:[Tout]>Tin:list(type)|Tout:list(type)|f:func|config:string=""|'
    'config_proto:string=""|executor_type:string=""':
        'StatefulPartitionedCall',
    'resource:resource,algorithm:int64,shape:S,counts:T,probs:T>output:dtype>S:type|'
    'T:type="DT_DOUBLE"|dtype:type="DT_INT64"':
        'StatefulRandomBinomial',
    'logits:T,num_samples:int32,seed:Tseed>output:output_dtype>T:type|Tseed:type="DT_INT64"|'
    'output_dtype:type="DT_INT64"':
        'StatelessMultinomial',
    'shape:S,seed:Tseed,means:dtype,stddevs:dtype,minvals:dtype,maxvals:dtype>output:dtype>S:type|'
    'Tseed:type="DT_INT64"|dtype:type':
        'StatelessParameterizedTruncatedNormal',
    'shape:S,seed:Tseed,counts:T,probs:T>output:dtype>S:type|Tseed:type="DT_INT64"|'
    'T:type="DT_DOUBLE"|dtype:type="DT_INT64"':
        'StatelessRandomBinomial',
    'shape:shape_dtype,key:uint64,counter:uint64,alg:int32,alpha:dtype>output:dtype>dtype:type|'
    'shape_dtype:type="DT_INT32"':
        'StatelessRandomGammaV3',
    'seed:Tseed>key:uint64,counter:uint64>Tseed:type="DT_INT64"': 'StatelessRandomGetKeyCounter',
    'shape:Tshape,key:uint64,counter:uint64,alg:int32>output:dtype>dtype:type="DT_FLOAT"|'
    'Tshape:type="DT_INT32"':
        'StatelessRandomNormalV2 StatelessRandomUniformV2 StatelessTruncatedNormalV2',
    'shape:T,seed:Tseed,lam:Rtype>output:dtype>Rtype:type|dtype:type|T:type|Tseed:type="DT_INT64"':
        'StatelessRandomPoisson',
    'shape:Tshape,key:uint64,counter:uint64,alg:int32>output:dtype>dtype:type="DT_UINT64"|'
    'Tshape:type="DT_INT32"':
        'StatelessRandomUniformFullIntV2',
    'shape:Tshape,key:uint64,counter:uint64,alg:int32,minval:dtype,maxval:dtype>output:dtype>'
    'dtype:type|Tshape:type="DT_INT32"':
        'StatelessRandomUniformIntV2',
    'input:string>output:bool>pattern:string': 'StaticRegexFullMatch',
    'input:T,begin:Index,end:Index,strides:Index>output:T>T:type|Index:type|begin_mask:int=0|'
    'end_mask:int=0|ellipsis_mask:int=0|new_axis_mask:int=0|shrink_axis_mask:int=0':
        'StridedSlice',
    'shape:Index,begin:Index,end:Index,strides:Index,dy:T>output:T>T:type|Index:type|'
    'begin_mask:int=0|end_mask:int=0|ellipsis_mask:int=0|new_axis_mask:int=0|'
    'shrink_axis_mask:int=0':
        'StridedSliceGrad',
    'inputs:[T]>output:string>T:list(type)|template:string="%s"|placeholder:string="%s"|'
    'summarize:int=3':
        'StringFormat',
    'inputs:N*string>output:string>N:int|separator:string=""': 'StringJoin',
    'input:T>s:T,u:T,v:T>compute_uv:bool=true|full_matrices:bool=false|T:type': 'Svd',
    'handle:resource>>': 'TensorArrayCloseV3',
    'handle:resource,flow_in:float>value:dtype,lengths:int64>dtype:type|'
    'element_shape_except0:shape=null':
        'TensorArrayConcatV3',
    'handle:resource,indices:int32,flow_in:float>value:dtype>dtype:type|element_shape:shape=null':
        'TensorArrayGatherV3',
    'handle:resource,flow_in:float>grad_handle:resource,flow_out:float>source:string':
        'TensorArrayGradV3',
    'handle:resource,index:int32,flow_in:float>value:dtype>dtype:type': 'TensorArrayReadV3',
    'handle:resource,indices:int32,value:T,flow_in:float>flow_out:float>T:type':
        'TensorArrayScatterV3',
    'handle:resource,flow_in:float>size:int32>': 'TensorArraySizeV3',
    'handle:resource,value:T,lengths:int64,flow_in:float>flow_out:float>T:type':
        'TensorArraySplitV3',
    'size:int32>handle:resource,flow:float>dtype:type|element_shape:shape=null|'
    'dynamic_size:bool=false|clear_after_read:bool=true|identical_element_shapes:bool=false|'
    'tensor_array_name:string=""':
        'TensorArrayV3',
    'handle:resource,index:int32,value:T,flow_in:float>flow_out:float>T:type': 'TensorArrayWriteV3',
    'components:[Toutput_types]>handle:variant>Toutput_types:list(type)|output_shapes:list(shape)|'
    'metadata:string=""':
        'TensorDataset',
    'tensor:T,indices:Tindices,updates:T>output:T>T:type|Tindices:type|'
    'bad_indices_policy:string=""':
        'TensorScatterAdd TensorScatterMax TensorScatterMin TensorScatterSub TensorScatterUpdate',
    'components:[Toutput_types]>handle:variant>Toutput_types:list(type)|output_shapes:list(shape)|'
    'is_files:bool=false|metadata:string=""|replicate_on_split:bool=false':
        'TensorSliceDataset',
    'tag:string,tensor:T,serialized_summary_metadata:string>summary:string>T:type':
        'TensorSummaryV2',
    'filenames:string,compression_type:string,buffer_size:int64>handle:variant>metadata:string=""':
        'TextLineDataset',
    'input:T,multiples:Tmultiples>output:T>T:type|Tmultiples:type="DT_INT32"': 'Tile',
    'input:T,multiples:int32>output:T>T:type': 'TileGrad',
    '>ts:double>': 'Timestamp',
    'input:T,k:Tk>values:T,indices:index_type>sorted:bool=true|T:type|Tk:type="DT_INT32"|'
    'index_type:type="DT_INT32"':
        'TopKV2',
    'x:T,perm:Tperm>y:T>T:type|Tperm:type="DT_INT32"': 'Transpose',
    'superdiag:T,maindiag:T,subdiag:T,rhs:T>output:T>T:type': 'TridiagonalMatMul',
    'diagonals:T,rhs:T>output:T>partial_pivoting:bool=true|perturb_singular:bool=false|T:type':
        'TridiagonalSolve',
    'input_dataset:variant>handle:variant>output_types:list(type)|output_shapes:list(shape)|'
    'metadata:string=""':
        'UnbatchDataset',
    'x:T>y:T,idx:out_idx>T:type|out_idx:type="DT_INT32"': 'Unique',
    'x:T>y:T,idx:out_idx,count:out_idx>T:type|out_idx:type="DT_INT32"': 'UniqueWithCounts',
    'value:T>output:num*T>num:int|T:type|axis:int=0': 'Unpack',
    'indices:Tidx,dims:Tidx>output:Tidx>Tidx:type="DT_INT32"': 'UnravelIndex',
    'data:T,segment_ids:Tindices,num_segments:Tnumsegments>output:T>T:type|Tindices:type|'
    'Tnumsegments:type="DT_INT32"':
        'UnsortedSegmentMax UnsortedSegmentMin UnsortedSegmentProd UnsortedSegmentSum',
    '>resource:resource>container:string=""|shared_name:string=""|debug_name:string=""|dtype:type|'
    'shape:shape|allowed_devices:list(string)=[]':
        'VarHandleOp',
    'resource:resource>is_initialized:bool>': 'VarIsInitializedOp',
    '>&ref:dtype>shape:shape|dtype:type|container:string=""|shared_name:string=""': 'VariableV2',
    'input:T>index:int64>T:type="DT_BOOL"': 'Where',
    'input:[T]>output:[T]>T:list(type)|cond:func|body:func|output_shapes:list(shape)=[]|'
    'parallel_iterations:int=10':
        'While',
    'x:T,q:T>z:T>T:type': 'Zeta',
    'input_datasets:N*variant>handle:variant>output_types:list(type)|output_shapes:list(shape)|'
    'N:int|metadata:string=""':
        'ZipDataset',
}
_TABLE = {op: sig for sig, ops in _SIGNATURES.items() for op in ops.split()}

_PARSED = {}


def signature(op_type):
    """Returns TF's interface of `op_type`: (inputs, outputs, attrs).

    None for an op type TF does not have. inputs and outputs are lists of (name, type,
    number_attr, is_ref): type is a type attr's name, a fixed dtype name or
    `[list(type) attr]`; number_attr the attr counting a list arg, or None. attrs is a dict
    {name: (kind, default)} in TF's order, default `NO_DEFAULT` when TF has none.

    Args:
      op_type: the op type, e.g. "MatMul".

    >>> from minitf.framework.tf_op_signatures import signature
    >>> inputs, outputs, attrs = signature("ConcatV2")
    >>> inputs
    [('values', 'T', 'N', False), ('axis', 'Tidx', None, False)]
    >>> attrs["Tidx"]
    ('type', 'DT_INT32')
    """
    if op_type not in _PARSED:
        text = _TABLE.get(op_type)
        _PARSED[op_type] = None if text is None else _parse(text)
    return _PARSED[op_type]


NO_DEFAULT = object()


def _parse(text):
    inputs, outputs, attrs = text.split(">", 2)
    return _args(inputs), _args(outputs), dict(_attr(a) for a in attrs.split("|") if a)


def _args(text):
    out = []
    for arg in filter(None, text.split(",")):
        is_ref = arg.startswith("&")
        name, kind = arg.lstrip("&").split(":")
        number, _, kind = kind.rpartition("*")
        out.append((name, kind, number or None, is_ref))
    return out


def _attr(text):
    head, eq, default = text.partition("=")
    name, kind = head.split(":", 1)
    return name, (kind, json.loads(default) if eq else NO_DEFAULT)
