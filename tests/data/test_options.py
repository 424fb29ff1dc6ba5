"""The option records, DatasetSpec, IteratorSpec and NumpyIterator."""
import pytest

from dendrite import data


def test_option_groups_keep_their_settings_and_refuse_unknown_names():
    options = data.Options()
    assert isinstance(options.threading, data.ThreadingOptions) and options.threading.private_threadpool_size is None
    options.threading.private_threadpool_size = 8
    options.autotune.enabled = False
    options.experimental_optimization.map_parallelization = True
    options.experimental_distribute.auto_shard_policy = data.AutoShardPolicy.DATA
    ds = data.Dataset.range(3).with_options(options).map(lambda x: x)
    got = ds.options()
    assert got.threading.private_threadpool_size == 8 and got.autotune.enabled is False
    assert got.experimental_optimization.map_parallelization is True
    with pytest.raises(AttributeError, match="private_threadpool_size"):
        data.ThreadingOptions().threads = 3
    assert [p.name for p in data.experimental.ExternalStatePolicy] == ["WARN", "IGNORE", "FAIL"]
    options.experimental_external_state_policy = data.experimental.ExternalStatePolicy.IGNORE
    assert options.experimental_external_state_policy.value == 1


def test_specs_and_numpy_iterator():
    ds = data.Dataset.range(3)
    spec = data.DatasetSpec.from_value(ds)
    assert spec.element_spec == ds.element_spec and spec.is_compatible_with(data.Dataset.range(7))
    assert not spec.is_compatible_with(data.Dataset.from_tensor_slices([1.0]))
    assert repr(spec).startswith("DatasetSpec(TensorSpec(shape=()")
    assert data.IteratorSpec(ds.element_spec).value_type is data.Iterator
    it = ds.as_numpy_iterator()
    assert isinstance(it, data.NumpyIterator) and it.element_spec == ds.element_spec
    assert it.next() == 0 and list(it) == [1, 2]
