"""Glue's Pipes messages must land under the lake's `_pipes/`, the only prefix the job role
may write besides silver and quarantine (infra/modules/iam)."""

from ecom_platform.defs.silver.resources import LakePipesMessageReader
from ecom_platform.lib.lake import pipes_key_prefix


def test_messages_are_read_from_under_the_pipes_prefix(s3_env):
    bucket = s3_env.create_bucket("pipes-prefix")
    client = s3_env.client()
    reader = LakePipesMessageReader(bucket=bucket, client=client)
    with reader.get_params() as params:
        assert params["key_prefix"].startswith(pipes_key_prefix())
        assert not reader.messages_are_readable(params)
        client.put_object(Bucket=bucket, Key=f"{params['key_prefix']}/1.json", Body=b"{}\n")
        assert reader.messages_are_readable(params)
        assert reader.download_messages_chunk(1, params) == "{}\n"
