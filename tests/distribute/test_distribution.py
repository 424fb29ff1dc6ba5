"""fit / evaluate / predict under MultiWorkerMirroredStrategy on 2 real MPI processes against 1, and the fault
cases ending the job with a clear message within the timeout (the programs are in worker.py)."""
import ast

import numpy as np

# float32 weights after 50 Adam steps: the two processes sum their halves' gradients in another order than one
# process sums the whole batch; the difference stays at a few float32 ulps of the weights (~1e-7).
ATOL = 1e-5


def _check(done, what):
    assert done.returncode == 0, f"{what} failed (rc {done.returncode}):\n{done.output[-3000:]}"


def test_two_processes_train_the_weights_one_process_trains(mpirun, tmp_path):
    _check(mpirun("equivalence", tmp_path, n=2), "2 processes")
    _check(mpirun("equivalence", tmp_path, n=1), "1 process")
    two, one = np.load(tmp_path / "equivalence2.npz"), np.load(tmp_path / "equivalence1.npz")
    assert len(one["loss"]) == 2  # 2 epochs of 25 steps: 50 steps of global batch 64
    for key in one.files:
        np.testing.assert_allclose(two[key], one[key], atol=ATOL, rtol=0, err_msg=key)
    assert one["acc"][-1] > 0.7  # it learned something: the weights compared are not the initial ones


def test_evaluate_and_predict_cover_every_sample_in_order(mpirun, tmp_path):
    _check(mpirun("evaluate_predict", tmp_path, n=2), "2 processes")
    _check(mpirun("evaluate_predict", tmp_path, n=1), "1 process")
    two, one = np.load(tmp_path / "evaluate2.npz"), np.load(tmp_path / "evaluate1.npz")
    assert two["pred"].shape == (101, 3)  # gathered from both processes, the last batch's one sample included
    for key in one.files:
        np.testing.assert_allclose(two[key], one[key], atol=ATOL, rtol=0, err_msg=key)


def test_callbacks_decide_alike_and_only_rank_0_writes(mpirun, tmp_path):
    _check(mpirun("callbacks", tmp_path), "callbacks")
    seen = [ast.literal_eval((tmp_path / f"epochs{r}.txt").read_text()) for r in (0, 1)]
    assert seen[0] == seen[1]  # the same val_loss on both, so EarlyStopping stopped both at the same epoch
    assert seen[0][0] < 40  # and it did stop early
    assert (tmp_path / "rank0.weights.h5").exists() and (tmp_path / "rank0.csv").exists()
    assert not (tmp_path / "rank1.weights.h5").exists() and not (tmp_path / "rank1.csv").exists()
    assert len((tmp_path / "rank0.csv").read_text().strip().splitlines()) == seen[0][0] + 1  # header + epochs


def test_backup_from_two_processes_resumes_on_one(mpirun, tmp_path):
    _check(mpirun("interrupted", tmp_path, n=2), "the interrupted 2-process run")
    assert (tmp_path / "backup" / "training_metadata.json").exists()
    _check(mpirun("resume", tmp_path, n=1), "the resumed 1-process run")
    _check(mpirun("uninterrupted", tmp_path, n=1), "the uninterrupted run")
    resumed, whole = np.load(tmp_path / "resumed1.npz"), np.load(tmp_path / "uninterrupted.npz")
    for key in whole.files:
        np.testing.assert_allclose(resumed[key], whole[key], atol=ATOL, rtol=0, err_msg=key)
    assert not (tmp_path / "backup").exists()  # deleted once training completed


def _per_rank(folder, name):
    return [np.load(folder / f"{name}_rank{r}.npz") for r in (0, 1)]


def test_a_custom_train_step_averages_its_gradients_over_the_processes(mpirun, tmp_path):
    """A Model subclass whose train_step applies the gradients itself (apply_gradients of pairs, and apply), fit
    with global batches of 64 for 20 Adam steps: the weights one process reaches with batches of 64."""
    _check(mpirun("custom_step", tmp_path, n=2), "2 processes")
    _check(mpirun("custom_step", tmp_path, n=1), "1 process")
    (rank0, rank1), one = _per_rank(tmp_path, "custom_step2"), np.load(tmp_path / "custom_step1_rank0.npz")
    for key in (k for k in one.files if "allreduces" not in k):
        np.testing.assert_array_equal(rank0[key], rank1[key], err_msg=key)  # one update, the same on both
        np.testing.assert_allclose(rank0[key], one[key], atol=ATOL, rtol=0, err_msg=key)  # averaged, once
    for name in ("pairs", "apply", "builtin"):  # it trained: the weights moved from where they started
        assert np.abs(one[f"{name}_w0"] - one[f"{name}_start_w0"]).max() > 0.01
        assert int(rank0[f"{name}_allreduces"]) == 20  # one gradient allreduce per step: never a second one


def test_a_custom_loop_with_strategy_run_sums_the_replicas_gradients(mpirun, tmp_path):
    """TensorFlow's custom-training loop in compatibility mode: compute_average_loss(per-example, global batch),
    a mean loss, and compute_average_loss's default plus scale_regularization_loss; apply_gradients in
    strategy.run, strategy.reduce(SUM) of the losses; 24 Adam steps of 32."""
    _check(mpirun("custom_loop", tmp_path, n=2), "2 processes")
    _check(mpirun("custom_loop", tmp_path, n=1), "1 process")
    (rank0, rank1), one = _per_rank(tmp_path, "custom_loop2"), np.load(tmp_path / "custom_loop1_rank0.npz")
    for key in one.files:
        np.testing.assert_array_equal(rank0[key], rank1[key], err_msg=key)
        np.testing.assert_allclose(rank0[key], one[key], atol=ATOL, rtol=0, err_msg=key)
    for name in ("average", "mean", "default"):  # the reduced loss is the global batch's mean loss, and it fell
        assert len(one[f"{name}_loss"]) == 24 and one[f"{name}_loss"][-1] < one[f"{name}_loss"][0]


def _ended_with(done, *words):
    assert done.returncode != 0, done.output[-2000:]
    assert done.seconds < 60, f"the job took {done.seconds:.0f} s to end"
    for word in words:
        assert word in done.output, f"{word!r} not in:\n{done.output[-3000:]}"


def test_a_rank_raising_ends_the_job_naming_it(mpirun, tmp_path):
    _ended_with(mpirun("raise", tmp_path, timeout=90), "[rank 1 of 2]", "RuntimeError: a failure on one rank",
                "Aborting all 2 processes")


def test_a_rank_killed_ends_the_job(mpirun, tmp_path):
    _ended_with(mpirun("kill", tmp_path, timeout=90), "signal 9")


def test_a_hanging_rank_is_caught_by_the_watchdog(mpirun, tmp_path):
    _ended_with(mpirun("hang", tmp_path, timeout=90), "[rank 0 of 2]", "gradient allreduce waited 3 s",
                "timed out")


def test_mismatched_models_are_refused_at_the_first_step(mpirun, tmp_path):
    _ended_with(mpirun("mismatch", tmp_path, timeout=90), "do not run the same thing",
                "rank 1 has weights=[(8, 17), (17,), (17, 3), (3,)] where rank 0 has [(8, 16)")
