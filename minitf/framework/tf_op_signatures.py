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

_TABLE = {
    'Abs': 'x:T>y:T>T:type',
    'Acos': 'x:T>y:T>T:type',
    'Acosh': 'x:T>y:T>T:type',
    'AddN': 'inputs:N*T>sum:T>N:int|T:type',
    'AddV2': 'x:T,y:T>z:T>T:type',
    'All': 'input:bool,reduction_indices:Tidx>output:bool>keep_dims:bool=false|Tidx:type="DT_INT3'
           '2"',
    'AllCandidateSampler': 'true_classes:int64>sampled_candidates:int64,true_expected_count:float'
                           ',sampled_expected_count:float>num_true:int|num_sampled:int|unique:boo'
                           'l|seed:int=0|seed2:int=0',
    'Angle': 'input:T>output:Tout>T:type="DT_COMPLEX64"|Tout:type="DT_FLOAT"',
    'Any': 'input:bool,reduction_indices:Tidx>output:bool>keep_dims:bool=false|Tidx:type="DT_INT3'
           '2"',
    'ApplyAdadelta': '&var:T,&accum:T,&accum_update:T,lr:T,rho:T,epsilon:T,grad:T>&out:T>T:type|u'
                     'se_locking:bool=false',
    'ApplyAdagrad': '&var:T,&accum:T,lr:T,grad:T>&out:T>T:type|use_locking:bool=false|update_slot'
                    's:bool=true',
    'ApplyAdagradDA': '&var:T,&gradient_accumulator:T,&gradient_squared_accumulator:T,grad:T,lr:T'
                      ',l1:T,l2:T,global_step:int64>&out:T>T:type|use_locking:bool=false',
    'ApplyAdam': '&var:T,&m:T,&v:T,beta1_power:T,beta2_power:T,lr:T,beta1:T,beta2:T,epsilon:T,gra'
                 'd:T>&out:T>T:type|use_locking:bool=false|use_nesterov:bool=false',
    'ApplyCenteredRMSProp': '&var:T,&mg:T,&ms:T,&mom:T,lr:T,rho:T,momentum:T,epsilon:T,grad:T>&ou'
                            't:T>T:type|use_locking:bool=false',
    'ApplyFtrl': '&var:T,&accum:T,&linear:T,grad:T,lr:T,l1:T,l2:T,lr_power:T>&out:T>T:type|use_lo'
                 'cking:bool=false|multiply_linear_by_lr:bool=false',
    'ApplyFtrlV2': '&var:T,&accum:T,&linear:T,grad:T,lr:T,l1:T,l2:T,l2_shrinkage:T,lr_power:T>&ou'
                   't:T>T:type|use_locking:bool=false|multiply_linear_by_lr:bool=false',
    'ApplyGradientDescent': '&var:T,alpha:T,delta:T>&out:T>T:type|use_locking:bool=false',
    'ApplyMomentum': '&var:T,&accum:T,lr:T,grad:T,momentum:T>&out:T>T:type|use_locking:bool=false'
                     '|use_nesterov:bool=false',
    'ApplyProximalAdagrad': '&var:T,&accum:T,lr:T,l1:T,l2:T,grad:T>&out:T>T:type|use_locking:bool'
                            '=false',
    'ApplyProximalGradientDescent': '&var:T,alpha:T,l1:T,l2:T,delta:T>&out:T>T:type|use_locking:b'
                                    'ool=false',
    'ApplyRMSProp': '&var:T,&ms:T,&mom:T,lr:T,rho:T,momentum:T,epsilon:T,grad:T>&out:T>T:type|use'
                    '_locking:bool=false',
    'ApproxTopK': 'input:T>values:T,indices:int32>k:int|reduction_dimension:int=-1|recall_target:'
                  'float=0.949999988079071|is_max_k:bool=true|reduction_input_size_override:int=-'
                  '1|aggregate_to_topk:bool=true|T:type',
    'ArgMax': 'input:T,dimension:Tidx>output:output_type>T:type|Tidx:type="DT_INT32"|output_type:'
              'type="DT_INT64"',
    'ArgMin': 'input:T,dimension:Tidx>output:output_type>T:type|Tidx:type="DT_INT32"|output_type:'
              'type="DT_INT64"',
    'Asin': 'x:T>y:T>T:type',
    'Asinh': 'x:T>y:T>T:type',
    'Assert': 'condition:bool,data:[T]>>T:list(type)|summarize:int=3',
    'Assign': '&ref:T,value:T>&output_ref:T>T:type|validate_shape:bool=true|use_locking:bool=true',
    'AssignAdd': '&ref:T,value:T>&output_ref:T>T:type|use_locking:bool=false',
    'AssignAddVariableOp': 'resource:resource,value:dtype>>dtype:type',
    'AssignSub': '&ref:T,value:T>&output_ref:T>T:type|use_locking:bool=false',
    'AssignSubVariableOp': 'resource:resource,value:dtype>>dtype:type',
    'AssignVariableOp': 'resource:resource,value:dtype>>dtype:type|validate_shape:bool=false',
    'Atan': 'x:T>y:T>T:type',
    'Atan2': 'y:T,x:T>z:T>T:type',
    'Atanh': 'x:T>y:T>T:type',
    'AudioSummaryV2': 'tag:string,tensor:float,sample_rate:float>summary:string>max_outputs:int=3',
    'AvgPool': 'value:T>output:T>ksize:list(int)|strides:list(int)|padding:string|data_format:str'
               'ing="NHWC"|T:type',
    'AvgPool3D': 'input:T>output:T>ksize:list(int)|strides:list(int)|padding:string|data_format:s'
                 'tring="NDHWC"|T:type',
    'AvgPool3DGrad': 'orig_input_shape:int32,grad:T>output:T>ksize:list(int)|strides:list(int)|pa'
                     'dding:string|data_format:string="NDHWC"|T:type',
    'AvgPoolGrad': 'orig_input_shape:int32,grad:T>output:T>ksize:list(int)|strides:list(int)|padd'
                   'ing:string|data_format:string="NHWC"|T:type',
    'BatchDatasetV2': 'input_dataset:variant,batch_size:int64,drop_remainder:bool>handle:variant>'
                      'parallel_copy:bool=false|output_types:list(type)|output_shapes:list(shape)'
                      '|metadata:string=""',
    'BatchMatMulV2': 'x:T,y:T>output:T>T:type|adj_x:bool=false|adj_y:bool=false|grad_x:bool=false'
                     '|grad_y:bool=false',
    'BatchToSpaceND': 'input:T,block_shape:Tblock_shape,crops:Tcrops>output:T>T:type|Tblock_shape'
                      ':type="DT_INT32"|Tcrops:type="DT_INT32"',
    'BesselI0': 'x:T>y:T>T:type',
    'BesselI0e': 'x:T>y:T>T:type',
    'BesselI1': 'x:T>y:T>T:type',
    'BesselI1e': 'x:T>y:T>T:type',
    'Betainc': 'a:T,b:T,x:T>z:T>T:type',
    'BiasAdd': 'value:T,bias:T>output:T>T:type|data_format:string="NHWC"',
    'Bitcast': 'input:T>output:type>T:type|type:type',
    'BitwiseAnd': 'x:T,y:T>z:T>T:type',
    'BitwiseOr': 'x:T,y:T>z:T>T:type',
    'BitwiseXor': 'x:T,y:T>z:T>T:type',
    'BroadcastArgs': 's0:T,s1:T>r0:T>T:type="DT_INT32"',
    'BroadcastTo': 'input:T,shape:Tidx>output:T>T:type|Tidx:type="DT_INT32"',
    'CTCBeamSearchDecoder': 'inputs:T,sequence_length:int32>decoded_indices:top_paths*int64,decod'
                            'ed_values:top_paths*int64,decoded_shape:top_paths*int64,log_probabil'
                            'ity:T>beam_width:int|top_paths:int|merge_repeated:bool=true|T:type="'
                            'DT_FLOAT"',
    'CTCGreedyDecoder': 'inputs:T,sequence_length:int32>decoded_indices:int64,decoded_values:int6'
                        '4,decoded_shape:int64,log_probability:T>merge_repeated:bool=false|blank_'
                        'index:int=-1|T:type="DT_FLOAT"',
    'CTCLoss': 'inputs:T,labels_indices:int64,labels_values:int32,sequence_length:int32>loss:T,gr'
               'adient:T>preprocess_collapse_repeated:bool=false|ctc_merge_repeated:bool=true|ign'
               'ore_longer_outputs_than_inputs:bool=false|T:type="DT_FLOAT"',
    'CacheDataset': 'input_dataset:variant,filename:string>handle:variant>output_types:list(type)'
                    '|output_shapes:list(shape)|metadata:string=""',
    'Cast': 'x:SrcT>y:DstT>SrcT:type|DstT:type|Truncate:bool=false',
    'Ceil': 'x:T>y:T>T:type',
    'CheckNumerics': 'tensor:T>output:T>T:type|message:string',
    'CheckPinned': 'tensor:T>output:T>T:type',
    'Cholesky': 'input:T>output:T>T:type',
    'Complex': 'real:T,imag:T>out:Tout>T:type="DT_FLOAT"|Tout:type="DT_COMPLEX64"',
    'ComplexAbs': 'x:T>y:Tout>T:type="DT_COMPLEX64"|Tout:type="DT_FLOAT"',
    'ComputeAccidentalHits': 'true_classes:int64,sampled_candidates:int64>indices:int32,ids:int64'
                             ',weights:float>num_true:int|seed:int=0|seed2:int=0',
    'ConcatV2': 'values:N*T,axis:Tidx>output:T>N:int|T:type|Tidx:type="DT_INT32"',
    'ConcatenateDataset': 'input_dataset:variant,another_dataset:variant>handle:variant>output_ty'
                          'pes:list(type)|output_shapes:list(shape)|metadata:string=""',
    'Conj': 'input:T>output:T>T:type="DT_COMPLEX64"',
    'Const': '>output:dtype>value:tensor|dtype:type',
    'Conv': 'input:T,filter:T>output:T>T:type|strides:list(int)|padding:string|explicit_paddings:'
            'list(int)=[]|data_format:string="CHANNELS_LAST"|dilations:list(int)=[]|batch_dims:in'
            't=1|groups:int=1',
    'Conv2D': 'input:T,filter:T>output:T>T:type|strides:list(int)|use_cudnn_on_gpu:bool=true|padd'
              'ing:string|explicit_paddings:list(int)=[]|data_format:string="NHWC"|dilations:list'
              '(int)=[1,1,1,1]',
    'Conv2DBackpropFilter': 'input:T,filter_sizes:int32,out_backprop:T>output:T>T:type|strides:li'
                            'st(int)|use_cudnn_on_gpu:bool=true|padding:string|explicit_paddings:'
                            'list(int)=[]|data_format:string="NHWC"|dilations:list(int)=[1,1,1,1]',
    'Conv2DBackpropFilterV2': 'input:T,filter:T,out_backprop:T>output:T>T:type|strides:list(int)|'
                              'use_cudnn_on_gpu:bool=true|padding:string|explicit_paddings:list(i'
                              'nt)=[]|data_format:string="NHWC"|dilations:list(int)=[1,1,1,1]',
    'Conv2DBackpropInput': 'input_sizes:int32,filter:T,out_backprop:T>output:T>T:type|strides:lis'
                           't(int)|use_cudnn_on_gpu:bool=true|padding:string|explicit_paddings:li'
                           'st(int)=[]|data_format:string="NHWC"|dilations:list(int)=[1,1,1,1]',
    'Conv2DBackpropInputV2': 'input:T,filter:T,out_backprop:T>output:T>T:type|strides:list(int)|u'
                             'se_cudnn_on_gpu:bool=true|padding:string|explicit_paddings:list(int'
                             ')=[]|data_format:string="NHWC"|dilations:list(int)=[1,1,1,1]',
    'Conv3D': 'input:T,filter:T>output:T>T:type|strides:list(int)|padding:string|data_format:stri'
              'ng="NDHWC"|dilations:list(int)=[1,1,1,1,1]',
    'Conv3DBackpropFilterV2': 'input:T,filter_sizes:int32,out_backprop:T>output:T>T:type|strides:'
                              'list(int)|padding:string|data_format:string="NDHWC"|dilations:list'
                              '(int)=[1,1,1,1,1]',
    'Conv3DBackpropInputV2': 'input_sizes:Tshape,filter:T,out_backprop:T>output:T>T:type|strides:'
                             'list(int)|padding:string|data_format:string="NDHWC"|dilations:list('
                             'int)=[1,1,1,1,1]|Tshape:type="DT_INT32"',
    'Cos': 'x:T>y:T>T:type',
    'Cosh': 'x:T>y:T>T:type',
    'CountUpTo': '&ref:T>output:T>limit:int|T:type',
    'Cross': 'a:T,b:T>product:T>T:type',
    'Cumprod': 'x:T,axis:Tidx>out:T>exclusive:bool=false|reverse:bool=false|T:type|Tidx:type="DT_'
               'INT32"',
    'Cumsum': 'x:T,axis:Tidx>out:T>exclusive:bool=false|reverse:bool=false|T:type|Tidx:type="DT_I'
              'NT32"',
    'CumulativeLogsumexp': 'x:T,axis:Tidx>out:T>exclusive:bool=false|reverse:bool=false|T:type|Ti'
                           'dx:type="DT_INT32"',
    'DeleteSessionTensor': 'handle:string>>',
    'DenseBincount': 'input:Tidx,size:Tidx,weights:T>output:T>Tidx:type|T:type|binary_output:bool'
                     '=false',
    'DepthToSpace': 'input:T>output:T>T:type|block_size:int|data_format:string="NHWC"',
    'DepthwiseConv2dNative': 'input:T,filter:T>output:T>T:type|strides:list(int)|padding:string|e'
                             'xplicit_paddings:list(int)=[]|data_format:string="NHWC"|dilations:l'
                             'ist(int)=[1,1,1,1]',
    'DepthwiseConv2dNativeBackpropFilter': 'input:T,filter_sizes:int32,out_backprop:T>output:T>T:'
                                           'type|strides:list(int)|padding:string|explicit_paddin'
                                           'gs:list(int)=[]|data_format:string="NHWC"|dilations:l'
                                           'ist(int)=[1,1,1,1]',
    'DepthwiseConv2dNativeBackpropInput': 'input_sizes:int32,filter:T,out_backprop:T>output:T>T:t'
                                          'ype|strides:list(int)|padding:string|explicit_paddings'
                                          ':list(int)=[]|data_format:string="NHWC"|dilations:list'
                                          '(int)=[1,1,1,1]',
    'Dequantize': 'input:T,min_range:float,max_range:float>output:dtype>T:type|mode:string="MIN_C'
                  'OMBINED"|narrow_range:bool=false|axis:int=-1|dtype:type="DT_FLOAT"',
    'Diag': 'diagonal:T>output:T>T:type',
    'DiagPart': 'input:T>diagonal:T>T:type',
    'Digamma': 'x:T>y:T>T:type',
    'Dilation2D': 'input:T,filter:T>output:T>T:type|strides:list(int)|rates:list(int)|padding:str'
                  'ing',
    'Dilation2DBackpropFilter': 'input:T,filter:T,out_backprop:T>filter_backprop:T>T:type|strides'
                                ':list(int)|rates:list(int)|padding:string',
    'Dilation2DBackpropInput': 'input:T,filter:T,out_backprop:T>in_backprop:T>T:type|strides:list'
                               '(int)|rates:list(int)|padding:string',
    'DivNoNan': 'x:T,y:T>z:T>T:type',
    'DynamicPartition': 'data:T,partitions:int32>outputs:num_partitions*T>num_partitions:int|T:ty'
                        'pe',
    'DynamicStitch': 'indices:N*int32,data:N*T>merged:T>N:int|T:type',
    'EagerPyFunc': 'input:[Tin]>output:[Tout]>token:string|is_async:bool=false|Tin:list(type)|Tou'
                   't:list(type)',
    'Einsum': 'inputs:N*T>output:T>equation:string|N:int|T:type',
    'Elu': 'features:T>activations:T>T:type',
    'EnsureShape': 'input:T>output:T>shape:shape|T:type',
    'Equal': 'x:T,y:T>z:bool>T:type|incompatible_shape_error:bool=true',
    'Erf': 'x:T>y:T>T:type',
    'Erfc': 'x:T>y:T>T:type',
    'Erfinv': 'x:T>y:T>T:type',
    'EuclideanNorm': 'input:T,reduction_indices:Tidx>output:T>keep_dims:bool=false|T:type|Tidx:ty'
                     'pe="DT_INT32"',
    'Exp': 'x:T>y:T>T:type',
    'ExpandDims': 'input:T,dim:Tdim>output:T>T:type|Tdim:type="DT_INT32"',
    'Expm1': 'x:T>y:T>T:type',
    'ExtractVolumePatches': 'input:T>patches:T>ksizes:list(int)|strides:list(int)|T:type|padding:'
                            'string',
    'FFT': 'input:Tcomplex>output:Tcomplex>Tcomplex:type="DT_COMPLEX64"',
    'FFT2D': 'input:Tcomplex>output:Tcomplex>Tcomplex:type="DT_COMPLEX64"',
    'FFT3D': 'input:Tcomplex>output:Tcomplex>Tcomplex:type="DT_COMPLEX64"',
    'FFTND': 'input:Tcomplex,fft_length:int32,axes:int32>output:Tcomplex>Tcomplex:type="DT_COMPLE'
             'X64"',
    'FakeQuantWithMinMaxArgs': 'inputs:float>outputs:float>min:float=-6.0|max:float=6.0|num_bits:'
                               'int=8|narrow_range:bool=false',
    'FakeQuantWithMinMaxArgsGradient': 'gradients:float,inputs:float>backprops:float>min:float=-6'
                                       '.0|max:float=6.0|num_bits:int=8|narrow_range:bool=false',
    'FakeQuantWithMinMaxVars': 'inputs:float,min:float,max:float>outputs:float>num_bits:int=8|nar'
                               'row_range:bool=false',
    'FakeQuantWithMinMaxVarsGradient': 'gradients:float,inputs:float,min:float,max:float>backprop'
                                       's_wrt_input:float,backprop_wrt_min:float,backprop_wrt_max'
                                       ':float>num_bits:int=8|narrow_range:bool=false',
    'FakeQuantWithMinMaxVarsPerChannel': 'inputs:float,min:float,max:float>outputs:float>num_bits'
                                         ':int=8|narrow_range:bool=false',
    'FakeQuantWithMinMaxVarsPerChannelGradient': 'gradients:float,inputs:float,min:float,max:floa'
                                                 't>backprops_wrt_input:float,backprop_wrt_min:fl'
                                                 'oat,backprop_wrt_max:float>num_bits:int=8|narro'
                                                 'w_range:bool=false',
    'Fill': 'dims:index_type,value:T>output:T>T:type|index_type:type="DT_INT32"',
    'FilterDataset': 'input_dataset:variant,other_arguments:[Targuments]>handle:variant>predicate'
                     ':func|Targuments:list(type)|output_types:list(type)|output_shapes:list(shap'
                     'e)|metadata:string=""',
    'Fingerprint': 'data:T,method:string>fingerprint:uint8>T:type',
    'FixedUnigramCandidateSampler': 'true_classes:int64>sampled_candidates:int64,true_expected_co'
                                    'unt:float,sampled_expected_count:float>num_true:int|num_samp'
                                    'led:int|unique:bool|range_max:int|vocab_file:string=""|disto'
                                    'rtion:float=1.0|num_reserved_ids:int=0|num_shards:int=1|shar'
                                    'd:int=0|unigrams:list(float)=[]|seed:int=0|seed2:int=0',
    'FlatMapDataset': 'input_dataset:variant,other_arguments:[Targuments]>handle:variant>f:func|T'
                      'arguments:list(type)|output_types:list(type)|output_shapes:list(shape)|met'
                      'adata:string=""',
    'Floor': 'x:T>y:T>T:type',
    'FloorDiv': 'x:T,y:T>z:T>T:type',
    'FloorMod': 'x:T,y:T>z:T>T:type',
    'FractionalAvgPool': 'value:T>output:T,row_pooling_sequence:int64,col_pooling_sequence:int64>'
                         'pooling_ratio:list(float)|pseudo_random:bool=false|overlapping:bool=fal'
                         'se|deterministic:bool=false|seed:int=0|seed2:int=0|T:type',
    'FractionalAvgPoolGrad': 'orig_input_tensor_shape:int64,out_backprop:T,row_pooling_sequence:i'
                             'nt64,col_pooling_sequence:int64>output:T>overlapping:bool=false|T:t'
                             'ype',
    'FractionalMaxPool': 'value:T>output:T,row_pooling_sequence:int64,col_pooling_sequence:int64>'
                         'pooling_ratio:list(float)|pseudo_random:bool=false|overlapping:bool=fal'
                         'se|deterministic:bool=false|seed:int=0|seed2:int=0|T:type',
    'FractionalMaxPoolGrad': 'orig_input:T,orig_output:T,out_backprop:T,row_pooling_sequence:int6'
                             '4,col_pooling_sequence:int64>output:T>overlapping:bool=false|T:type',
    'FusedBatchNormV3': 'x:T,scale:U,offset:U,mean:U,variance:U>y:T,batch_mean:U,batch_variance:U'
                        ',reserve_space_1:U,reserve_space_2:U,reserve_space_3:U>T:type|U:type|eps'
                        'ilon:float=9.999999747378752e-05|exponential_avg_factor:float=1.0|data_f'
                        'ormat:string="NHWC"|is_training:bool=true',
    'GatherNd': 'params:Tparams,indices:Tindices>output:Tparams>Tparams:type|Tindices:type|bad_in'
                'dices_policy:string=""',
    'GatherV2': 'params:Tparams,indices:Tindices,axis:Taxis>output:Tparams>batch_dims:int=0|Tpara'
                'ms:type|Tindices:type|Taxis:type',
    'GenerateVocabRemapping': 'new_vocab_file:string,old_vocab_file:string>remapping:int64,num_pr'
                              'esent:int32>new_vocab_offset:int|num_new_vocab:int|old_vocab_size:'
                              'int=-1',
    'GeneratorDataset': 'init_func_other_args:[Tinit_func_args],next_func_other_args:[Tnext_func_'
                        'args],finalize_func_other_args:[Tfinalize_func_args]>handle:variant>init'
                        '_func:func|next_func:func|finalize_func:func|Tinit_func_args:list(type)|'
                        'Tnext_func_args:list(type)|Tfinalize_func_args:list(type)|output_types:l'
                        'ist(type)|output_shapes:list(shape)|metadata:string=""',
    'GetSessionHandle': 'value:T>handle:string>T:type',
    'GetSessionTensor': 'handle:string>value:dtype>dtype:type',
    'Greater': 'x:T,y:T>z:bool>T:type',
    'GreaterEqual': 'x:T,y:T>z:bool>T:type',
    'GuaranteeConst': 'input:T>output:T>T:type',
    'HistogramFixedWidth': 'values:T,value_range:T,nbins:int32>out:dtype>T:type|dtype:type="DT_IN'
                           'T32"',
    'HistogramSummary': 'tag:string,values:T>summary:string>T:type="DT_FLOAT"',
    'IFFT': 'input:Tcomplex>output:Tcomplex>Tcomplex:type="DT_COMPLEX64"',
    'IFFT2D': 'input:Tcomplex>output:Tcomplex>Tcomplex:type="DT_COMPLEX64"',
    'IFFT3D': 'input:Tcomplex>output:Tcomplex>Tcomplex:type="DT_COMPLEX64"',
    'IFFTND': 'input:Tcomplex,fft_length:int32,axes:int32>output:Tcomplex>Tcomplex:type="DT_COMPL'
              'EX64"',
    'IRFFT': 'input:Tcomplex,fft_length:int32>output:Treal>Treal:type="DT_FLOAT"|Tcomplex:type="D'
             'T_COMPLEX64"',
    'IRFFT2D': 'input:Tcomplex,fft_length:int32>output:Treal>Treal:type="DT_FLOAT"|Tcomplex:type='
               '"DT_COMPLEX64"',
    'IRFFT3D': 'input:Tcomplex,fft_length:int32>output:Treal>Treal:type="DT_FLOAT"|Tcomplex:type='
               '"DT_COMPLEX64"',
    'IRFFTND': 'input:Tcomplex,fft_length:int32,axes:int32>output:Treal>Treal:type="DT_FLOAT"|Tco'
               'mplex:type="DT_COMPLEX64"',
    'Identity': 'input:T>output:T>T:type',
    'IdentityN': 'input:[T]>output:[T]>T:list(type)',
    'If': 'cond:Tcond,input:[Tin]>output:[Tout]>Tcond:type|Tin:list(type)|Tout:list(type)|then_br'
          'anch:func|else_branch:func|output_shapes:list(shape)=[]',
    'Igamma': 'a:T,x:T>z:T>T:type',
    'IgammaGradA': 'a:T,x:T>z:T>T:type',
    'Igammac': 'a:T,x:T>z:T>T:type',
    'Imag': 'input:T>output:Tout>T:type="DT_COMPLEX64"|Tout:type="DT_FLOAT"',
    'ImageSummary': 'tag:string,tensor:T>summary:string>max_images:int=3|T:type="DT_FLOAT"|bad_co'
                    'lor:tensor="TENSOR"',
    'InTopKV2': 'predictions:float,targets:T,k:T>precision:bool>T:type="DT_INT32"',
    'InterleaveDataset': 'input_dataset:variant,other_arguments:[Targuments],cycle_length:int64,b'
                         'lock_length:int64>handle:variant>f:func|Targuments:list(type)|output_ty'
                         'pes:list(type)|output_shapes:list(shape)|metadata:string=""',
    'Invert': 'x:T>y:T>T:type',
    'InvertPermutation': 'x:T>y:T>T:type="DT_INT32"',
    'IsFinite': 'x:T>y:bool>T:type',
    'IsInf': 'x:T>y:bool>T:type',
    'IsNan': 'x:T>y:bool>T:type',
    'IsVariableInitialized': '&ref:dtype>is_initialized:bool>dtype:type',
    'IteratorFromStringHandleV2': 'string_handle:string>resource_handle:resource>output_types:lis'
                                  't(type)=[]|output_shapes:list(shape)=[]',
    'IteratorGetNext': 'iterator:resource>components:[output_types]>output_types:list(type)|outpu'
                       't_shapes:list(shape)',
    'IteratorToStringHandle': 'resource_handle:resource>string_handle:string>',
    'IteratorV2': '>handle:resource>shared_name:string|container:string|output_types:list(type)|o'
                  'utput_shapes:list(shape)',
    'L2Loss': 't:T>output:T>T:type',
    'LRN': 'input:T>output:T>depth_radius:int=5|bias:float=1.0|alpha:float=1.0|beta:float=0.5|T:t'
           'ype="DT_FLOAT"',
    'LeakyRelu': 'features:T>activations:T>alpha:float=0.20000000298023224|T:type="DT_FLOAT"',
    'LearnedUnigramCandidateSampler': 'true_classes:int64>sampled_candidates:int64,true_expected_'
                                      'count:float,sampled_expected_count:float>num_true:int|num_'
                                      'sampled:int|unique:bool|range_max:int|seed:int=0|seed2:int'
                                      '=0',
    'LeftShift': 'x:T,y:T>z:T>T:type',
    'Less': 'x:T,y:T>z:bool>T:type',
    'LessEqual': 'x:T,y:T>z:bool>T:type',
    'Lgamma': 'x:T>y:T>T:type',
    'LinSpace': 'start:T,stop:T,num:Tidx>output:T>T:type|Tidx:type="DT_INT32"',
    'ListDiff': 'x:T,y:T>out:T,idx:out_idx>T:type|out_idx:type="DT_INT32"',
    'LoadAndRemapMatrix': 'ckpt_path:string,old_tensor_name:string,row_remapping:int64,col_remapp'
                          'ing:int64,initializing_values:float>output_matrix:float>num_rows:int|n'
                          'um_cols:int|max_rows_in_memory:int=-1',
    'Log': 'x:T>y:T>T:type',
    'Log1p': 'x:T>y:T>T:type',
    'LogMatrixDeterminant': 'input:T>sign:T,log_abs_determinant:T>T:type',
    'LogSoftmax': 'logits:T>logsoftmax:T>T:type',
    'LogUniformCandidateSampler': 'true_classes:int64>sampled_candidates:int64,true_expected_coun'
                                  't:float,sampled_expected_count:float>num_true:int|num_sampled:'
                                  'int|unique:bool|range_max:int|seed:int=0|seed2:int=0',
    'LogicalAnd': 'x:bool,y:bool>z:bool>',
    'LogicalNot': 'x:bool>y:bool>',
    'LogicalOr': 'x:bool,y:bool>z:bool>',
    'LowerBound': 'sorted_inputs:T,values:T>output:out_type>T:type|out_type:type="DT_INT32"',
    'Lu': 'input:T>lu:T,p:output_idx_type>T:type|output_idx_type:type="DT_INT32"',
    'MakeIterator': 'dataset:variant,iterator:resource>>',
    'MapDataset': 'input_dataset:variant,other_arguments:[Targuments]>handle:variant>f:func|Targu'
                  'ments:list(type)|output_types:list(type)|output_shapes:list(shape)|use_inter_o'
                  'p_parallelism:bool=true|preserve_cardinality:bool=false|force_synchronous:bool'
                  '=false|metadata:string=""',
    'MatMul': 'a:T,b:T>product:T>transpose_a:bool=false|transpose_b:bool=false|T:type|grad_a:bool'
              '=false|grad_b:bool=false',
    'MatrixBandPart': 'input:T,num_lower:Tindex,num_upper:Tindex>band:T>T:type|Tindex:type="DT_IN'
                      'T64"',
    'MatrixDeterminant': 'input:T>output:T>T:type',
    'MatrixDiag': 'diagonal:T>output:T>T:type',
    'MatrixDiagPart': 'input:T>diagonal:T>T:type',
    'MatrixExponential': 'input:T>output:T>T:type',
    'MatrixInverse': 'input:T>output:T>adjoint:bool=false|T:type',
    'MatrixLogarithm': 'input:T>output:T>T:type',
    'MatrixSetDiag': 'input:T,diagonal:T>output:T>T:type',
    'MatrixSolve': 'matrix:T,rhs:T>output:T>adjoint:bool=false|T:type',
    'MatrixSolveLs': 'matrix:T,rhs:T,l2_regularizer:double>output:T>T:type|fast:bool=true',
    'MatrixSquareRoot': 'input:T>output:T>T:type',
    'MatrixTriangularSolve': 'matrix:T,rhs:T>output:T>lower:bool=true|adjoint:bool=false|T:type',
    'Max': 'input:T,reduction_indices:Tidx>output:T>keep_dims:bool=false|T:type|Tidx:type="DT_INT'
           '32"',
    'MaxPool': 'input:T>output:T>T:type="DT_FLOAT"|ksize:list(int)|strides:list(int)|padding:stri'
               'ng|explicit_paddings:list(int)=[]|data_format:string="NHWC"',
    'MaxPool3D': 'input:T>output:T>ksize:list(int)|strides:list(int)|padding:string|data_format:s'
                 'tring="NDHWC"|T:type',
    'MaxPool3DGrad': 'orig_input:TInput,orig_output:TInput,grad:T>output:T>ksize:list(int)|stride'
                     's:list(int)|padding:string|data_format:string="NDHWC"|T:type="DT_FLOAT"|TIn'
                     'put:type="DT_FLOAT"',
    'MaxPool3DGradGrad': 'orig_input:T,orig_output:T,grad:T>output:T>ksize:list(int)|strides:list'
                         '(int)|padding:string|data_format:string="NDHWC"|T:type',
    'MaxPoolGrad': 'orig_input:T,orig_output:T,grad:T>output:T>ksize:list(int)|strides:list(int)|'
                   'padding:string|explicit_paddings:list(int)=[]|data_format:string="NHWC"|T:typ'
                   'e="DT_FLOAT"',
    'MaxPoolGradGrad': 'orig_input:T,orig_output:T,grad:T>output:T>ksize:list(int)|strides:list(i'
                       'nt)|padding:string|data_format:string="NHWC"|T:type',
    'MaxPoolGradWithArgmax': 'input:T,grad:T,argmax:Targmax>output:T>ksize:list(int)|strides:list'
                             '(int)|padding:string|include_batch_in_index:bool=false|Targmax:type'
                             '|T:type',
    'MaxPoolWithArgmax': 'input:T>output:T,argmax:Targmax>ksize:list(int)|strides:list(int)|Targm'
                         'ax:type="DT_INT64"|padding:string|include_batch_in_index:bool=false|T:t'
                         'ype',
    'Maximum': 'x:T,y:T>z:T>T:type',
    'Mean': 'input:T,reduction_indices:Tidx>output:T>keep_dims:bool=false|T:type|Tidx:type="DT_IN'
            'T32"',
    'MergeSummary': 'inputs:N*string>summary:string>N:int',
    'Min': 'input:T,reduction_indices:Tidx>output:T>keep_dims:bool=false|T:type|Tidx:type="DT_INT'
           '32"',
    'Minimum': 'x:T,y:T>z:T>T:type',
    'MirrorPad': 'input:T,paddings:Tpaddings>output:T>T:type|Tpaddings:type="DT_INT32"|mode:string',
    'Mul': 'x:T,y:T>z:T>T:type',
    'MulNoNan': 'x:T,y:T>z:T>T:type',
    'Multinomial': 'logits:T,num_samples:int32>output:output_dtype>seed:int=0|seed2:int=0|T:type|'
                   'output_dtype:type="DT_INT64"',
    'Ndtri': 'x:T>y:T>T:type',
    'Neg': 'x:T>y:T>T:type',
    'NextAfter': 'x1:T,x2:T>output:T>T:type="DT_FLOAT"',
    'NoOp': '>>',
    'NotEqual': 'x:T,y:T>z:bool>T:type|incompatible_shape_error:bool=true',
    'OneHot': 'indices:TI,depth:int32,on_value:T,off_value:T>output:T>axis:int=-1|T:type|TI:type='
              '"DT_INT64"',
    'OneShotIterator': '>handle:resource>dataset_factory:func|output_types:list(type)|output_shap'
                       'es:list(shape)|container:string=""|shared_name:string=""',
    'OnesLike': 'x:T>y:T>T:type',
    'Pack': 'values:N*T>output:T>N:int|T:type|axis:int=0',
    'Pad': 'input:T,paddings:Tpaddings>output:T>T:type|Tpaddings:type="DT_INT32"',
    'PadV2': 'input:T,paddings:Tpaddings,constant_values:T>output:T>T:type|Tpaddings:type="DT_INT'
             '32"',
    'PaddedBatchDatasetV2': 'input_dataset:variant,batch_size:int64,padded_shapes:N*int64,padding'
                            '_values:[Toutput_types],drop_remainder:bool>handle:variant>parallel_'
                            'copy:bool=false|Toutput_types:list(type)|output_shapes:list(shape)|N'
                            ':int|metadata:string=""',
    'ParallelConcat': 'values:N*T>output:T>N:int|T:type|shape:shape',
    'ParallelMapDatasetV2': 'input_dataset:variant,other_arguments:[Targuments],num_parallel_call'
                            's:int64>handle:variant>f:func|Targuments:list(type)|output_types:lis'
                            't(type)|output_shapes:list(shape)|use_inter_op_parallelism:bool=true'
                            '|deterministic:string="default"|preserve_cardinality:bool=false|use_'
                            'unbounded_threadpool:bool=false|metadata:string=""',
    'Placeholder': '>output:dtype>dtype:type|shape:shape=null',
    'PlaceholderWithDefault': 'input:dtype>output:dtype>dtype:type|shape:shape',
    'Polygamma': 'a:T,x:T>z:T>T:type',
    'Pow': 'x:T,y:T>z:T>T:type',
    'PrefetchDataset': 'input_dataset:variant,buffer_size:int64>handle:variant>output_types:list('
                       'type)|output_shapes:list(shape)|slack_period:int=0|legacy_autotune:bool=t'
                       'rue|buffer_size_min:int=0|metadata:string=""',
    'PreventGradient': 'input:T>output:T>T:type|message:string=""',
    'Print': 'input:T,data:[U]>output:T>T:type|U:list(type)|message:string=""|first_n:int=-1|summ'
             'arize:int=3',
    'PrintV2': 'input:string>>output_stream:string="stderr"|end:string="\\n"',
    'Prod': 'input:T,reduction_indices:Tidx>output:T>keep_dims:bool=false|T:type|Tidx:type="DT_IN'
            'T32"',
    'PyFunc': 'input:[Tin]>output:[Tout]>token:string|Tin:list(type)|Tout:list(type)',
    'Qr': 'input:T>q:T,r:T>full_matrices:bool=false|T:type',
    'QuantizeV2': 'input:float,min_range:float,max_range:float>output:T,output_min:float,output_m'
                  'ax:float>T:type|mode:string="MIN_COMBINED"|round_mode:string="HALF_AWAY_FROM_Z'
                  'ERO"|narrow_range:bool=false|axis:int=-1|ensure_minimum_range:float=0.00999999'
                  '9776482582',
    'QuantizedAvgPool': 'input:T,min_input:float,max_input:float>output:T,min_output:float,max_ou'
                        'tput:float>T:type|ksize:list(int)|strides:list(int)|padding:string',
    'QuantizedConcat': 'concat_dim:int32,values:N*T,input_mins:N*float,input_maxes:N*float>output'
                       ':T,output_min:float,output_max:float>N:int|T:type',
    'QuantizedConv2D': 'input:Tinput,filter:Tfilter,min_input:float,max_input:float,min_filter:fl'
                       'oat,max_filter:float>output:out_type,min_output:float,max_output:float>Ti'
                       'nput:type|Tfilter:type|out_type:type="DT_QINT32"|strides:list(int)|paddin'
                       'g:string|dilations:list(int)=[1,1,1,1]',
    'QuantizedMaxPool': 'input:T,min_input:float,max_input:float>output:T,min_output:float,max_ou'
                        'tput:float>T:type|ksize:list(int)|strides:list(int)|padding:string',
    'QuantizedReluX': 'features:Tinput,max_value:float,min_features:float,max_features:float>acti'
                      'vations:out_type,min_activations:float,max_activations:float>Tinput:type|o'
                      'ut_type:type="DT_QUINT8"',
    'RFFT': 'input:Treal,fft_length:int32>output:Tcomplex>Treal:type="DT_FLOAT"|Tcomplex:type="DT'
            '_COMPLEX64"',
    'RFFT2D': 'input:Treal,fft_length:int32>output:Tcomplex>Treal:type="DT_FLOAT"|Tcomplex:type="'
              'DT_COMPLEX64"',
    'RFFT3D': 'input:Treal,fft_length:int32>output:Tcomplex>Treal:type="DT_FLOAT"|Tcomplex:type="'
              'DT_COMPLEX64"',
    'RFFTND': 'input:Treal,fft_length:int32,axes:int32>output:Tcomplex>Treal:type="DT_FLOAT"|Tcom'
              'plex:type="DT_COMPLEX64"',
    'RandomGamma': 'shape:S,alpha:T>output:T>seed:int=0|seed2:int=0|S:type|T:type',
    'RandomGammaGrad': 'alpha:T,sample:T>output:T>T:type',
    'RandomIndexShuffle': 'index:dtype,seed:Tseed,max_index:dtype>output:dtype>rounds:int=4|dtype'
                          ':type|Tseed:type',
    'RandomPoissonV2': 'shape:S,rate:R>output:dtype>seed:int=0|seed2:int=0|S:type|R:type="DT_DOUB'
                       'LE"|dtype:type="DT_INT64"',
    'RandomShuffle': 'value:T>output:T>seed:int=0|seed2:int=0|T:type',
    'RandomStandardNormal': 'shape:T>output:dtype>seed:int=0|seed2:int=0|dtype:type|T:type',
    'RandomUniform': 'shape:T>output:dtype>seed:int=0|seed2:int=0|dtype:type|T:type',
    'RandomUniformInt': 'shape:T,minval:Tout,maxval:Tout>output:Tout>seed:int=0|seed2:int=0|Tout:'
                        'type|T:type',
    'Range': 'start:Tidx,limit:Tidx,delta:Tidx>output:Tidx>Tidx:type="DT_INT32"',
    'RangeDataset': 'start:int64,stop:int64,step:int64>handle:variant>output_types:list(type)|out'
                    'put_shapes:list(shape)|metadata:string=""|replicate_on_split:bool=false',
    'Rank': 'input:T>output:int32>T:type',
    'ReadVariableOp': 'resource:resource>value:dtype>dtype:type',
    'Real': 'input:T>output:Tout>T:type="DT_COMPLEX64"|Tout:type="DT_FLOAT"',
    'RealDiv': 'x:T,y:T>z:T>T:type',
    'Reciprocal': 'x:T>y:T>T:type',
    'ReduceDataset': 'input_dataset:variant,initial_state:[Tstate],other_arguments:[Targuments]>c'
                     'omponents:[output_types]>f:func|Tstate:list(type)|Targuments:list(type)|out'
                     'put_types:list(type)|output_shapes:list(shape)|use_inter_op_parallelism:boo'
                     'l=true|metadata:string=""',
    'Relu': 'features:T>activations:T>T:type',
    'Relu6': 'features:T>activations:T>T:type',
    'RepeatDataset': 'input_dataset:variant,count:int64>handle:variant>output_types:list(type)|ou'
                     'tput_shapes:list(shape)|metadata:string=""',
    'Reshape': 'tensor:T,shape:Tshape>output:T>T:type|Tshape:type="DT_INT32"',
    'ResourceApplyAdadelta': 'var:resource,accum:resource,accum_update:resource,lr:T,rho:T,epsilo'
                             'n:T,grad:T>>T:type|use_locking:bool=false',
    'ResourceApplyAdagrad': 'var:resource,accum:resource,lr:T,grad:T>>T:type|use_locking:bool=fal'
                            'se|update_slots:bool=true',
    'ResourceApplyAdagradDA': 'var:resource,gradient_accumulator:resource,gradient_squared_accumu'
                              'lator:resource,grad:T,lr:T,l1:T,l2:T,global_step:int64>>T:type|use'
                              '_locking:bool=false',
    'ResourceApplyAdam': 'var:resource,m:resource,v:resource,beta1_power:T,beta2_power:T,lr:T,bet'
                         'a1:T,beta2:T,epsilon:T,grad:T>>T:type|use_locking:bool=false|use_nester'
                         'ov:bool=false',
    'ResourceApplyCenteredRMSProp': 'var:resource,mg:resource,ms:resource,mom:resource,lr:T,rho:T'
                                    ',momentum:T,epsilon:T,grad:T>>T:type|use_locking:bool=false',
    'ResourceApplyFtrl': 'var:resource,accum:resource,linear:resource,grad:T,lr:T,l1:T,l2:T,lr_po'
                         'wer:T>>T:type|use_locking:bool=false|multiply_linear_by_lr:bool=false',
    'ResourceApplyFtrlV2': 'var:resource,accum:resource,linear:resource,grad:T,lr:T,l1:T,l2:T,l2_'
                           'shrinkage:T,lr_power:T>>T:type|use_locking:bool=false|multiply_linear'
                           '_by_lr:bool=false',
    'ResourceApplyGradientDescent': 'var:resource,alpha:T,delta:T>>T:type|use_locking:bool=false',
    'ResourceApplyMomentum': 'var:resource,accum:resource,lr:T,grad:T,momentum:T>>T:type|use_lock'
                             'ing:bool=false|use_nesterov:bool=false',
    'ResourceApplyProximalAdagrad': 'var:resource,accum:resource,lr:T,l1:T,l2:T,grad:T>>T:type|us'
                                    'e_locking:bool=false',
    'ResourceApplyProximalGradientDescent': 'var:resource,alpha:T,l1:T,l2:T,delta:T>>T:type|use_l'
                                            'ocking:bool=false',
    'ResourceApplyRMSProp': 'var:resource,ms:resource,mom:resource,lr:T,rho:T,momentum:T,epsilon:'
                            'T,grad:T>>T:type|use_locking:bool=false',
    'ResourceCountUpTo': 'resource:resource>output:T>limit:int|T:type',
    'ResourceScatterAdd': 'resource:resource,indices:Tindices,updates:dtype>>dtype:type|Tindices:'
                          'type',
    'ResourceScatterDiv': 'resource:resource,indices:Tindices,updates:dtype>>dtype:type|Tindices:'
                          'type',
    'ResourceScatterMax': 'resource:resource,indices:Tindices,updates:dtype>>dtype:type|Tindices:'
                          'type',
    'ResourceScatterMin': 'resource:resource,indices:Tindices,updates:dtype>>dtype:type|Tindices:'
                          'type',
    'ResourceScatterMul': 'resource:resource,indices:Tindices,updates:dtype>>dtype:type|Tindices:'
                          'type',
    'ResourceScatterNdAdd': 'ref:resource,indices:Tindices,updates:T>>T:type|Tindices:type|use_lo'
                            'cking:bool=true|bad_indices_policy:string=""',
    'ResourceScatterNdSub': 'ref:resource,indices:Tindices,updates:T>>T:type|Tindices:type|use_lo'
                            'cking:bool=true|bad_indices_policy:string=""',
    'ResourceScatterNdUpdate': 'ref:resource,indices:Tindices,updates:T>>T:type|Tindices:type|use'
                               '_locking:bool=true|bad_indices_policy:string=""',
    'ResourceScatterSub': 'resource:resource,indices:Tindices,updates:dtype>>dtype:type|Tindices:'
                          'type',
    'ResourceScatterUpdate': 'resource:resource,indices:Tindices,updates:dtype>>dtype:type|Tindic'
                             'es:type',
    'ResourceSparseApplyAdadelta': 'var:resource,accum:resource,accum_update:resource,lr:T,rho:T,'
                                   'epsilon:T,grad:T,indices:Tindices>>T:type|Tindices:type|use_l'
                                   'ocking:bool=false',
    'ResourceSparseApplyAdagrad': 'var:resource,accum:resource,lr:T,grad:T,indices:Tindices>>T:ty'
                                  'pe|Tindices:type|use_locking:bool=false|update_slots:bool=true',
    'ResourceSparseApplyAdagradDA': 'var:resource,gradient_accumulator:resource,gradient_squared_'
                                    'accumulator:resource,grad:T,indices:Tindices,lr:T,l1:T,l2:T,'
                                    'global_step:int64>>T:type|Tindices:type|use_locking:bool=fal'
                                    'se',
    'ResourceSparseApplyCenteredRMSProp': 'var:resource,mg:resource,ms:resource,mom:resource,lr:T'
                                          ',rho:T,momentum:T,epsilon:T,grad:T,indices:Tindices>>T'
                                          ':type|Tindices:type|use_locking:bool=false',
    'ResourceSparseApplyFtrl': 'var:resource,accum:resource,linear:resource,grad:T,indices:Tindic'
                               'es,lr:T,l1:T,l2:T,lr_power:T>>T:type|Tindices:type|use_locking:bo'
                               'ol=false|multiply_linear_by_lr:bool=false',
    'ResourceSparseApplyFtrlV2': 'var:resource,accum:resource,linear:resource,grad:T,indices:Tind'
                                 'ices,lr:T,l1:T,l2:T,l2_shrinkage:T,lr_power:T>>T:type|Tindices:'
                                 'type|use_locking:bool=false|multiply_linear_by_lr:bool=false',
    'ResourceSparseApplyMomentum': 'var:resource,accum:resource,lr:T,grad:T,indices:Tindices,mome'
                                   'ntum:T>>T:type|Tindices:type|use_locking:bool=false|use_neste'
                                   'rov:bool=false',
    'ResourceSparseApplyProximalAdagrad': 'var:resource,accum:resource,lr:T,l1:T,l2:T,grad:T,indi'
                                          'ces:Tindices>>T:type|Tindices:type|use_locking:bool=fa'
                                          'lse',
    'ResourceSparseApplyProximalGradientDescent': 'var:resource,alpha:T,l1:T,l2:T,grad:T,indices:'
                                                  'Tindices>>T:type|Tindices:type|use_locking:boo'
                                                  'l=false',
    'ResourceSparseApplyRMSProp': 'var:resource,ms:resource,mom:resource,lr:T,rho:T,momentum:T,ep'
                                  'silon:T,grad:T,indices:Tindices>>T:type|Tindices:type|use_lock'
                                  'ing:bool=false',
    'RestoreV2': 'prefix:string,tensor_names:string,shape_and_slices:string>tensors:[dtypes]>dtyp'
                 'es:list(type)',
    'ReverseSequence': 'input:T,seq_lengths:Tlen>output:T>seq_dim:int|batch_dim:int=0|T:type|Tlen'
                       ':type="DT_INT64"',
    'ReverseV2': 'tensor:T,axis:Tidx>output:T>Tidx:type="DT_INT32"|T:type',
    'RightShift': 'x:T,y:T>z:T>T:type',
    'Rint': 'x:T>y:T>T:type',
    'RngReadAndSkip': 'resource:resource,alg:int32,delta:uint64>value:int64>',
    'Roll': 'input:T,shift:Tshift,axis:Taxis>output:T>T:type|Tshift:type|Taxis:type',
    'Round': 'x:T>y:T>T:type',
    'Rsqrt': 'x:T>y:T>T:type',
    'ScalarSummary': 'tags:string,values:T>summary:string>T:type',
    'ScatterAdd': '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_locki'
                  'ng:bool=false',
    'ScatterDiv': '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_locki'
                  'ng:bool=false',
    'ScatterMax': '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_locki'
                  'ng:bool=false',
    'ScatterMin': '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_locki'
                  'ng:bool=false',
    'ScatterMul': '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_locki'
                  'ng:bool=false',
    'ScatterNd': 'indices:Tindices,updates:T,shape:Tindices>output:T>T:type|Tindices:type|bad_ind'
                 'ices_policy:string=""',
    'ScatterNdAdd': '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_loc'
                    'king:bool=false|bad_indices_policy:string=""',
    'ScatterNdSub': '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_loc'
                    'king:bool=false|bad_indices_policy:string=""',
    'ScatterNdUpdate': '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_'
                       'locking:bool=true|bad_indices_policy:string=""',
    'ScatterSub': '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_locki'
                  'ng:bool=false',
    'ScatterUpdate': '&ref:T,indices:Tindices,updates:T>&output_ref:T>T:type|Tindices:type|use_lo'
                     'cking:bool=true',
    'SdcaFprint': 'input:string>output:int64>',
    'SdcaOptimizer': 'sparse_example_indices:num_sparse_features*int64,sparse_feature_indices:num'
                     '_sparse_features*int64,sparse_feature_values:num_sparse_features_with_value'
                     's*float,dense_features:num_dense_features*float,example_weights:float,examp'
                     'le_labels:float,sparse_indices:num_sparse_features*int64,sparse_weights:num'
                     '_sparse_features*float,dense_weights:num_dense_features*float,example_state'
                     '_data:float>out_example_state_data:float,out_delta_sparse_weights:num_spars'
                     'e_features*float,out_delta_dense_weights:num_dense_features*float>loss_type'
                     ':string|adaptative:bool=false|num_sparse_features:int|num_sparse_features_w'
                     'ith_values:int|num_dense_features:int|l1:float|l2:float|num_loss_partitions'
                     ':int|num_inner_iterations:int',
    'SdcaShrinkL1': '&weights:num_features*float>>num_features:int|l1:float|l2:float',
    'SegmentMax': 'data:T,segment_ids:Tindices>output:T>T:type|Tindices:type',
    'SegmentMean': 'data:T,segment_ids:Tindices>output:T>T:type|Tindices:type',
    'SegmentMin': 'data:T,segment_ids:Tindices>output:T>T:type|Tindices:type',
    'SegmentProd': 'data:T,segment_ids:Tindices>output:T>T:type|Tindices:type',
    'SegmentSum': 'data:T,segment_ids:Tindices>output:T>T:type|Tindices:type',
    'Select': 'condition:bool,t:T,e:T>output:T>T:type',
    'SelectV2': 'condition:bool,t:T,e:T>output:T>T:type',
    'SelfAdjointEigV2': 'input:T>e:T,v:T>compute_v:bool=true|T:type',
    'Selu': 'features:T>activations:T>T:type',
    'Shape': 'input:T>output:out_type>T:type|out_type:type="DT_INT32"',
    'ShapeN': 'input:N*T>output:N*out_type>N:int|T:type|out_type:type="DT_INT32"',
    'ShardDataset': 'input_dataset:variant,num_shards:int64,index:int64>handle:variant>require_no'
                    'n_empty:bool=false|output_types:list(type)|output_shapes:list(shape)|metadat'
                    'a:string=""',
    'ShuffleDataset': 'input_dataset:variant,buffer_size:int64,seed:int64,seed2:int64>handle:vari'
                      'ant>reshuffle_each_iteration:bool=true|output_types:list(type)|output_shap'
                      'es:list(shape)|metadata:string=""',
    'Sigmoid': 'x:T>y:T>T:type',
    'Sign': 'x:T>y:T>T:type',
    'Sin': 'x:T>y:T>T:type',
    'Sinh': 'x:T>y:T>T:type',
    'Size': 'input:T>output:out_type>T:type|out_type:type="DT_INT32"',
    'SkipDataset': 'input_dataset:variant,count:int64>handle:variant>output_types:list(type)|outp'
                   'ut_shapes:list(shape)|metadata:string=""',
    'Slice': 'input:T,begin:Index,size:Index>output:T>T:type|Index:type',
    'SobolSample': 'dim:int32,num_results:int32,skip:int32>samples:dtype>dtype:type="DT_FLOAT"',
    'Softmax': 'logits:T>softmax:T>T:type',
    'SoftmaxCrossEntropyWithLogits': 'features:T,labels:T>loss:T,backprop:T>T:type',
    'Softplus': 'features:T>activations:T>T:type',
    'Softsign': 'features:T>activations:T>T:type',
    'SpaceToBatchND': 'input:T,block_shape:Tblock_shape,paddings:Tpaddings>output:T>T:type|Tblock'
                      '_shape:type="DT_INT32"|Tpaddings:type="DT_INT32"',
    'SpaceToDepth': 'input:T>output:T>T:type|block_size:int|data_format:string="NHWC"',
    'SparseApplyAdadelta': '&var:T,&accum:T,&accum_update:T,lr:T,rho:T,epsilon:T,grad:T,indices:T'
                           'indices>&out:T>T:type|Tindices:type|use_locking:bool=false',
    'SparseApplyAdagrad': '&var:T,&accum:T,lr:T,grad:T,indices:Tindices>&out:T>T:type|Tindices:ty'
                          'pe|use_locking:bool=false|update_slots:bool=true',
    'SparseApplyAdagradDA': '&var:T,&gradient_accumulator:T,&gradient_squared_accumulator:T,grad:'
                            'T,indices:Tindices,lr:T,l1:T,l2:T,global_step:int64>&out:T>T:type|Ti'
                            'ndices:type|use_locking:bool=false',
    'SparseApplyCenteredRMSProp': '&var:T,&mg:T,&ms:T,&mom:T,lr:T,rho:T,momentum:T,epsilon:T,grad'
                                  ':T,indices:Tindices>&out:T>T:type|Tindices:type|use_locking:bo'
                                  'ol=false',
    'SparseApplyFtrl': '&var:T,&accum:T,&linear:T,grad:T,indices:Tindices,lr:T,l1:T,l2:T,lr_power'
                       ':T>&out:T>T:type|Tindices:type|use_locking:bool=false|multiply_linear_by_'
                       'lr:bool=false',
    'SparseApplyFtrlV2': '&var:T,&accum:T,&linear:T,grad:T,indices:Tindices,lr:T,l1:T,l2:T,l2_shr'
                         'inkage:T,lr_power:T>&out:T>T:type|Tindices:type|use_locking:bool=false|'
                         'multiply_linear_by_lr:bool=false',
    'SparseApplyMomentum': '&var:T,&accum:T,lr:T,grad:T,indices:Tindices,momentum:T>&out:T>T:type'
                           '|Tindices:type|use_locking:bool=false|use_nesterov:bool=false',
    'SparseApplyProximalAdagrad': '&var:T,&accum:T,lr:T,l1:T,l2:T,grad:T,indices:Tindices>&out:T>'
                                  'T:type|Tindices:type|use_locking:bool=false',
    'SparseApplyProximalGradientDescent': '&var:T,alpha:T,l1:T,l2:T,grad:T,indices:Tindices>&out:'
                                          'T>T:type|Tindices:type|use_locking:bool=false',
    'SparseApplyRMSProp': '&var:T,&ms:T,&mom:T,lr:T,rho:T,momentum:T,epsilon:T,grad:T,indices:Tin'
                          'dices>&out:T>T:type|Tindices:type|use_locking:bool=false',
    'SparseFillEmptyRows': 'indices:int64,values:T,dense_shape:int64,default_value:T>output_indic'
                           'es:int64,output_values:T,empty_row_indicator:bool,reverse_index_map:i'
                           'nt64>T:type',
    'SparseFillEmptyRowsGrad': 'reverse_index_map:int64,grad_values:T>d_values:T,d_default_value:'
                               'T>T:type',
    'SparseMatMul': 'a:Ta,b:Tb>product:float>transpose_a:bool=false|transpose_b:bool=false|a_is_s'
                    'parse:bool=false|b_is_sparse:bool=false|Ta:type="DT_FLOAT"|Tb:type="DT_FLOAT'
                    '"',
    'SparseReorder': 'input_indices:int64,input_values:T,input_shape:int64>output_indices:int64,o'
                     'utput_values:T>T:type',
    'SparseReshape': 'input_indices:int64,input_shape:int64,new_shape:int64>output_indices:int64,'
                     'output_shape:int64>',
    'SparseSegmentMean': 'data:T,indices:Tidx,segment_ids:Tsegmentids>output:T>T:type|Tidx:type="'
                         'DT_INT32"|Tsegmentids:type="DT_INT32"|sparse_gradient:bool=false',
    'SparseSegmentMeanWithNumSegments': 'data:T,indices:Tidx,segment_ids:Tsegmentids,num_segments'
                                        ':Tnumsegments>output:T>T:type|Tidx:type="DT_INT32"|Tnums'
                                        'egments:type="DT_INT32"|Tsegmentids:type="DT_INT32"|spar'
                                        'se_gradient:bool=false',
    'SparseSegmentSqrtN': 'data:T,indices:Tidx,segment_ids:Tsegmentids>output:T>T:type|Tidx:type='
                          '"DT_INT32"|Tsegmentids:type="DT_INT32"|sparse_gradient:bool=false',
    'SparseSegmentSqrtNWithNumSegments': 'data:T,indices:Tidx,segment_ids:Tsegmentids,num_segment'
                                         's:Tnumsegments>output:T>T:type|Tidx:type="DT_INT32"|Tnu'
                                         'msegments:type="DT_INT32"|Tsegmentids:type="DT_INT32"|s'
                                         'parse_gradient:bool=false',
    'SparseSegmentSum': 'data:T,indices:Tidx,segment_ids:Tsegmentids>output:T>T:type|Tidx:type="D'
                        'T_INT32"|Tsegmentids:type="DT_INT32"|sparse_gradient:bool=false',
    'SparseSegmentSumWithNumSegments': 'data:T,indices:Tidx,segment_ids:Tsegmentids,num_segments:'
                                       'Tnumsegments>output:T>T:type|Tidx:type="DT_INT32"|Tnumseg'
                                       'ments:type="DT_INT32"|Tsegmentids:type="DT_INT32"|sparse_'
                                       'gradient:bool=false',
    'SparseSoftmaxCrossEntropyWithLogits': 'features:T,labels:Tlabels>loss:T,backprop:T>T:type|Tl'
                                           'abels:type="DT_INT64"',
    'SparseToDense': 'sparse_indices:Tindices,output_shape:Tindices,sparse_values:T,default_value'
                     ':T>dense:T>validate_indices:bool=true|T:type|Tindices:type',
    'Split': 'split_dim:int32,value:T>output:num_split*T>num_split:int|T:type',
    'SplitV': 'value:T,size_splits:Tlen,split_dim:int32>output:num_split*T>num_split:int|T:type|T'
              'len:type="DT_INT64"',
    'Sqrt': 'x:T>y:T>T:type',
    'Square': 'x:T>y:T>T:type',
    'SquaredDifference': 'x:T,y:T>z:T>T:type',
    'Squeeze': 'input:T>output:T>T:type|squeeze_dims:list(int)=[]',
    'StatefulPartitionedCall': 'args:[Tin]>output:[Tout]>Tin:list(type)|Tout:list(type)|f:func|co'
                               'nfig:string=""|config_proto:string=""|executor_type:string=""',
    'StatefulRandomBinomial': 'resource:resource,algorithm:int64,shape:S,counts:T,probs:T>output:'
                              'dtype>S:type|T:type="DT_DOUBLE"|dtype:type="DT_INT64"',
    'StatelessMultinomial': 'logits:T,num_samples:int32,seed:Tseed>output:output_dtype>T:type|Tse'
                            'ed:type="DT_INT64"|output_dtype:type="DT_INT64"',
    'StatelessParameterizedTruncatedNormal': 'shape:S,seed:Tseed,means:dtype,stddevs:dtype,minval'
                                             's:dtype,maxvals:dtype>output:dtype>S:type|Tseed:typ'
                                             'e="DT_INT64"|dtype:type',
    'StatelessRandomBinomial': 'shape:S,seed:Tseed,counts:T,probs:T>output:dtype>S:type|Tseed:typ'
                               'e="DT_INT64"|T:type="DT_DOUBLE"|dtype:type="DT_INT64"',
    'StatelessRandomGammaV3': 'shape:shape_dtype,key:uint64,counter:uint64,alg:int32,alpha:dtype>'
                              'output:dtype>dtype:type|shape_dtype:type="DT_INT32"',
    'StatelessRandomGetKeyCounter': 'seed:Tseed>key:uint64,counter:uint64>Tseed:type="DT_INT64"',
    'StatelessRandomNormalV2': 'shape:Tshape,key:uint64,counter:uint64,alg:int32>output:dtype>dty'
                               'pe:type="DT_FLOAT"|Tshape:type="DT_INT32"',
    'StatelessRandomPoisson': 'shape:T,seed:Tseed,lam:Rtype>output:dtype>Rtype:type|dtype:type|T:'
                              'type|Tseed:type="DT_INT64"',
    'StatelessRandomUniformFullIntV2': 'shape:Tshape,key:uint64,counter:uint64,alg:int32>output:d'
                                       'type>dtype:type="DT_UINT64"|Tshape:type="DT_INT32"',
    'StatelessRandomUniformIntV2': 'shape:Tshape,key:uint64,counter:uint64,alg:int32,minval:dtype'
                                   ',maxval:dtype>output:dtype>dtype:type|Tshape:type="DT_INT32"',
    'StatelessRandomUniformV2': 'shape:Tshape,key:uint64,counter:uint64,alg:int32>output:dtype>dt'
                                'ype:type="DT_FLOAT"|Tshape:type="DT_INT32"',
    'StatelessTruncatedNormalV2': 'shape:Tshape,key:uint64,counter:uint64,alg:int32>output:dtype>'
                                  'dtype:type="DT_FLOAT"|Tshape:type="DT_INT32"',
    'StopGradient': 'input:T>output:T>T:type',
    'StridedSlice': 'input:T,begin:Index,end:Index,strides:Index>output:T>T:type|Index:type|begin'
                    '_mask:int=0|end_mask:int=0|ellipsis_mask:int=0|new_axis_mask:int=0|shrink_ax'
                    'is_mask:int=0',
    'StridedSliceGrad': 'shape:Index,begin:Index,end:Index,strides:Index,dy:T>output:T>T:type|Ind'
                        'ex:type|begin_mask:int=0|end_mask:int=0|ellipsis_mask:int=0|new_axis_mas'
                        'k:int=0|shrink_axis_mask:int=0',
    'StringFormat': 'inputs:[T]>output:string>T:list(type)|template:string="%s"|placeholder:strin'
                    'g="%s"|summarize:int=3',
    'Sub': 'x:T,y:T>z:T>T:type',
    'Sum': 'input:T,reduction_indices:Tidx>output:T>keep_dims:bool=false|T:type|Tidx:type="DT_INT'
           '32"',
    'Svd': 'input:T>s:T,u:T,v:T>compute_uv:bool=true|full_matrices:bool=false|T:type',
    'TakeDataset': 'input_dataset:variant,count:int64>handle:variant>output_types:list(type)|outp'
                   'ut_shapes:list(shape)|metadata:string=""',
    'Tan': 'x:T>y:T>T:type',
    'Tanh': 'x:T>y:T>T:type',
    'TensorArrayCloseV3': 'handle:resource>>',
    'TensorArrayConcatV3': 'handle:resource,flow_in:float>value:dtype,lengths:int64>dtype:type|el'
                           'ement_shape_except0:shape=null',
    'TensorArrayGatherV3': 'handle:resource,indices:int32,flow_in:float>value:dtype>dtype:type|el'
                           'ement_shape:shape=null',
    'TensorArrayGradV3': 'handle:resource,flow_in:float>grad_handle:resource,flow_out:float>sourc'
                         'e:string',
    'TensorArrayReadV3': 'handle:resource,index:int32,flow_in:float>value:dtype>dtype:type',
    'TensorArrayScatterV3': 'handle:resource,indices:int32,value:T,flow_in:float>flow_out:float>T'
                            ':type',
    'TensorArraySizeV3': 'handle:resource,flow_in:float>size:int32>',
    'TensorArraySplitV3': 'handle:resource,value:T,lengths:int64,flow_in:float>flow_out:float>T:t'
                          'ype',
    'TensorArrayV3': 'size:int32>handle:resource,flow:float>dtype:type|element_shape:shape=null|d'
                     'ynamic_size:bool=false|clear_after_read:bool=true|identical_element_shapes:'
                     'bool=false|tensor_array_name:string=""',
    'TensorArrayWriteV3': 'handle:resource,index:int32,value:T,flow_in:float>flow_out:float>T:type',
    'TensorDataset': 'components:[Toutput_types]>handle:variant>Toutput_types:list(type)|output_s'
                     'hapes:list(shape)|metadata:string=""',
    'TensorScatterAdd': 'tensor:T,indices:Tindices,updates:T>output:T>T:type|Tindices:type|bad_in'
                        'dices_policy:string=""',
    'TensorScatterMax': 'tensor:T,indices:Tindices,updates:T>output:T>T:type|Tindices:type|bad_in'
                        'dices_policy:string=""',
    'TensorScatterMin': 'tensor:T,indices:Tindices,updates:T>output:T>T:type|Tindices:type|bad_in'
                        'dices_policy:string=""',
    'TensorScatterSub': 'tensor:T,indices:Tindices,updates:T>output:T>T:type|Tindices:type|bad_in'
                        'dices_policy:string=""',
    'TensorScatterUpdate': 'tensor:T,indices:Tindices,updates:T>output:T>T:type|Tindices:type|bad'
                           '_indices_policy:string=""',
    'TensorSliceDataset': 'components:[Toutput_types]>handle:variant>Toutput_types:list(type)|out'
                          'put_shapes:list(shape)|is_files:bool=false|metadata:string=""|replicat'
                          'e_on_split:bool=false',
    'TensorSummaryV2': 'tag:string,tensor:T,serialized_summary_metadata:string>summary:string>T:t'
                       'ype',
    'TextLineDataset': 'filenames:string,compression_type:string,buffer_size:int64>handle:variant'
                       '>metadata:string=""',
    'Tile': 'input:T,multiples:Tmultiples>output:T>T:type|Tmultiples:type="DT_INT32"',
    'TileGrad': 'input:T,multiples:int32>output:T>T:type',
    'Timestamp': '>ts:double>',
    'TopKV2': 'input:T,k:Tk>values:T,indices:index_type>sorted:bool=true|T:type|Tk:type="DT_INT32'
              '"|index_type:type="DT_INT32"',
    'Transpose': 'x:T,perm:Tperm>y:T>T:type|Tperm:type="DT_INT32"',
    'TridiagonalMatMul': 'superdiag:T,maindiag:T,subdiag:T,rhs:T>output:T>T:type',
    'TridiagonalSolve': 'diagonals:T,rhs:T>output:T>partial_pivoting:bool=true|perturb_singular:b'
                        'ool=false|T:type',
    'TruncateDiv': 'x:T,y:T>z:T>T:type',
    'TruncateMod': 'x:T,y:T>z:T>T:type',
    'TruncatedNormal': 'shape:T>output:dtype>seed:int=0|seed2:int=0|dtype:type|T:type',
    'UnbatchDataset': 'input_dataset:variant>handle:variant>output_types:list(type)|output_shapes'
                      ':list(shape)|metadata:string=""',
    'UniformCandidateSampler': 'true_classes:int64>sampled_candidates:int64,true_expected_count:f'
                               'loat,sampled_expected_count:float>num_true:int|num_sampled:int|un'
                               'ique:bool|range_max:int|seed:int=0|seed2:int=0',
    'Unique': 'x:T>y:T,idx:out_idx>T:type|out_idx:type="DT_INT32"',
    'UniqueWithCounts': 'x:T>y:T,idx:out_idx,count:out_idx>T:type|out_idx:type="DT_INT32"',
    'Unpack': 'value:T>output:num*T>num:int|T:type|axis:int=0',
    'UnravelIndex': 'indices:Tidx,dims:Tidx>output:Tidx>Tidx:type="DT_INT32"',
    'UnsortedSegmentMax': 'data:T,segment_ids:Tindices,num_segments:Tnumsegments>output:T>T:type|'
                          'Tindices:type|Tnumsegments:type="DT_INT32"',
    'UnsortedSegmentMin': 'data:T,segment_ids:Tindices,num_segments:Tnumsegments>output:T>T:type|'
                          'Tindices:type|Tnumsegments:type="DT_INT32"',
    'UnsortedSegmentProd': 'data:T,segment_ids:Tindices,num_segments:Tnumsegments>output:T>T:type'
                           '|Tindices:type|Tnumsegments:type="DT_INT32"',
    'UnsortedSegmentSum': 'data:T,segment_ids:Tindices,num_segments:Tnumsegments>output:T>T:type|'
                          'Tindices:type|Tnumsegments:type="DT_INT32"',
    'UpperBound': 'sorted_inputs:T,values:T>output:out_type>T:type|out_type:type="DT_INT32"',
    'VarHandleOp': '>resource:resource>container:string=""|shared_name:string=""|debug_name:strin'
                   'g=""|dtype:type|shape:shape|allowed_devices:list(string)=[]',
    'VarIsInitializedOp': 'resource:resource>is_initialized:bool>',
    'VariableV2': '>&ref:dtype>shape:shape|dtype:type|container:string=""|shared_name:string=""',
    'Where': 'input:T>index:int64>T:type="DT_BOOL"',
    'While': 'input:[T]>output:[T]>T:list(type)|cond:func|body:func|output_shapes:list(shape)=[]|'
             'parallel_iterations:int=10',
    'Xdivy': 'x:T,y:T>z:T>T:type',
    'Xlog1py': 'x:T,y:T>z:T>T:type',
    'Xlogy': 'x:T,y:T>z:T>T:type',
    'ZerosLike': 'x:T>y:T>T:type',
    'Zeta': 'x:T,q:T>z:T>T:type',
    'ZipDataset': 'input_datasets:N*variant>handle:variant>output_types:list(type)|output_shapes:'
                  'list(shape)|N:int|metadata:string=""',
}

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
