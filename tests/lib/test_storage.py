from ecom_platform.lib.storage import LocalStore, open_store


def test_local_store_round_trip_and_listing(tmp_path):
    store = LocalStore()
    store.write_bytes(str(tmp_path / "a" / "dt=2024-01-01" / "x.csv"), b"id\n1\n")
    store.write_bytes(str(tmp_path / "a" / "dt=2024-01-02" / "y.csv"), b"id\n2\n")
    files = store.list_files(str(tmp_path / "a"))
    assert [f.uri.rsplit("/", 1)[1] for f in files] == ["x.csv", "y.csv"]
    assert store.list_dirs(str(tmp_path / "a")) == ["dt=2024-01-01", "dt=2024-01-02"]
    assert store.read_bytes(files[0].uri) == b"id\n1\n"
    # no temp files are left behind by the atomic write
    assert not list((tmp_path / "a").rglob(".*.tmp"))


def test_s3_store_round_trip(s3_env):
    bucket = s3_env.create_bucket("storage-test")
    base = f"s3://{bucket}/landing"
    store = open_store(base)
    store.write_bytes(f"{base}/orders/dt=2024-01-01/a.csv", b"order_id\n1\n")
    store.write_bytes(f"{base}/orders/dt=2024-01-02/b.csv", b"order_id\n2\n")
    files = store.list_files(f"{base}/orders")
    assert [f.uri for f in files] == [
        f"{base}/orders/dt=2024-01-01/a.csv",
        f"{base}/orders/dt=2024-01-02/b.csv",
    ]
    assert all(f.etag and f.size == 11 for f in files)
    assert store.list_dirs(f"{base}/orders") == ["dt=2024-01-01", "dt=2024-01-02"]
    assert store.read_bytes(files[1].uri) == b"order_id\n2\n"
    assert store.exists(files[0].uri)
    store.delete(files[0].uri)
    assert not store.exists(files[0].uri)
