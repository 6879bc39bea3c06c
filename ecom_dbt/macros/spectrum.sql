{#
  Redshift Spectrum DDL for the silver layer and the lake's bookkeeping tables (quarantine,
  bronze file ledger, silver statistics), run once per environment (dbt packages such as
  dbt-external-tables cannot be installed here):

    dbt run-operation create_spectrum_schema --target redshift
    dbt run-operation add_spectrum_partitions --target redshift --args '{dates: [2024-01-01]}'

  On S3 a silver or quarantine partition is a version prefix, `dt=<dt>/v=<run>/`, named by the
  partition's `_current` pointer (docs/architecture.md, "Publishing silver on S3"). Jinja cannot
  read S3, so the caller resolves the pointers (`lake.current_locations`, which the aws
  warehouse's `before_build` passes as `locations`: `dt=` folder -> current folder, relative to
  the lake); a partition missing from it is registered at its `dt=` folder. The silver Glue job
  moves an existing partition to each new version itself (lib/glue_catalog.py), so this adds
  only partitions the catalog does not have yet.

  External DDL cannot run inside a transaction, hence the `begin; commit;` preamble.
  Tables the Glue catalog already holds are left alone (Redshift has no `if not exists` for
  external tables), so the operation can run again safely.
#}

{% macro spectrum_ddl(existing_tables=[]) %}
  {%- set schema = spectrum_schema() -%}
  {%- set statements = [
    "create external schema if not exists " ~ schema
    ~ " from data catalog database '" ~ env_var('ECOM_GLUE_CATALOG_DATABASE', 'ecom_silver') ~ "'"
    ~ " iam_role '" ~ env_var('ECOM_REDSHIFT_SPECTRUM_ROLE_ARN') ~ "'"
    ~ " create external database if not exists"
  ] -%}
  {%- for table in spectrum_tables() if table.name not in existing_tables -%}
    {%- set columns = [] -%}
    {%- for column in table.columns.values() if not (table.source_name == 'silver' and column.name == 'dt') -%}
      {%- do columns.append(column.name ~ ' ' ~ spectrum_type(column.data_type)) -%}
    {%- endfor -%}
    {%- do statements.append(
      "create external table " ~ schema ~ "." ~ table.name
      ~ " (" ~ columns | join(', ') ~ ") partitioned by (" ~ spectrum_partition_keys(table) ~ ")"
      ~ " stored as parquet location '" ~ lake_uri() ~ "/" ~ spectrum_layer(table) ~ "/'"
    ) -%}
  {%- endfor -%}
  {{ return(statements) }}
{% endmacro %}

{% macro spectrum_tables() %}
  {#- Silver entities, and the bookkeeping layers of the `lake` source (one table each). -#}
  {{ return(graph.sources.values() | selectattr('source_name', 'in', ['silver', 'lake']) | list) }}
{% endmacro %}

{% macro spectrum_layer(table) %}
  {{ return('silver/' ~ table.name if table.source_name == 'silver' else table.name) }}
{% endmacro %}

{% macro spectrum_partition_keys(table) %}
  {#- Bookkeeping files hold entity and dt themselves, which a partition key may not repeat. -#}
  {%- if table.source_name == 'silver' -%}
    {{ return('dt date') }}
  {%- endif -%}
  {{ return('partition_entity varchar(64), partition_dt varchar(10)') }}
{% endmacro %}

{% macro spectrum_type(data_type) %}
  {#- Redshift's bare varchar is varchar(256); lake strings may be longer. -#}
  {%- if data_type == 'varchar' -%}
    {{ return('varchar(65535)') }}
  {%- elif data_type == 'varchar[]' -%}
    {{ return('array<varchar(65535)>') }}
  {%- endif -%}
  {{ return(data_type) }}
{% endmacro %}

{% macro spectrum_partition_location(path, locations) %}
  {{ return(lake_uri() ~ "/" ~ locations.get(path, path) ~ "/") }}
{% endmacro %}

{% macro spectrum_partition_ddl(dates, locations={}) %}
  {#- Redshift adds at most 100 partitions per ALTER TABLE. -#}
  {%- set schema = spectrum_schema() -%}
  {%- set statements = [] -%}
  {%- for table in spectrum_tables() -%}
    {%- set partitions = [] -%}
    {%- for dt in dates -%}
      {%- if table.source_name == 'silver' -%}
        {%- set path = "silver/" ~ table.name ~ "/dt=" ~ dt -%}
        {%- do partitions.append(
          "partition (dt='" ~ dt ~ "') location '" ~ spectrum_partition_location(path, locations) ~ "'"
        ) -%}
      {%- else -%}
        {%- for entity in entity_names() -%}
          {%- set path = table.name ~ "/" ~ entity ~ "/dt=" ~ dt -%}
          {%- do partitions.append(
            "partition (partition_entity='" ~ entity ~ "', partition_dt='" ~ dt ~ "') location '"
            ~ spectrum_partition_location(path, locations) ~ "'"
          ) -%}
        {%- endfor -%}
      {%- endif -%}
    {%- endfor -%}
    {%- for batch in partitions | batch(100) -%}
      {%- do statements.append(
        "alter table " ~ schema ~ "." ~ table.name ~ " add if not exists " ~ batch | join(' ')
      ) -%}
    {%- endfor -%}
  {%- endfor -%}
  {{ return(statements) }}
{% endmacro %}

{% macro run_outside_transaction(statements) %}
  {%- for statement in statements -%}
    {%- do log('spectrum: ' ~ statement, info=true) -%}
    {%- do run_query('begin; commit; ' ~ statement ~ ';') -%}
  {%- endfor -%}
{% endmacro %}

{% macro create_spectrum_schema() %}
  {%- do run_outside_transaction(spectrum_ddl()[:1]) -%}
  {%- set existing = run_query(
    "select tablename from svv_external_tables where schemaname = '" ~ spectrum_schema() ~ "'"
  ) -%}
  {%- do run_outside_transaction(spectrum_ddl(existing.columns[0].values())[1:]) -%}
{% endmacro %}

{% macro add_spectrum_partitions(dates, locations={}) %}
  {%- do run_outside_transaction(spectrum_partition_ddl(dates, locations)) -%}
{% endmacro %}
