{#
  Redshift Spectrum DDL for the silver layer, run once per environment (dbt packages such as
  dbt-external-tables cannot be installed here):

    dbt run-operation create_spectrum_schema --target redshift
    dbt run-operation add_spectrum_partitions --target redshift --args '{dates: [2024-01-01]}'

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
  {%- for table in graph.sources.values()
        if table.source_name == 'silver' and table.name not in existing_tables -%}
    {%- set columns = [] -%}
    {%- for column in table.columns.values() if column.name != 'dt' -%}
      {#- Redshift's bare varchar is varchar(256); silver strings may be longer. -#}
      {%- set data_type = 'varchar(65535)' if column.data_type == 'varchar' else column.data_type -%}
      {%- do columns.append(column.name ~ ' ' ~ data_type) -%}
    {%- endfor -%}
    {%- do statements.append(
      "create external table " ~ schema ~ "." ~ table.name
      ~ " (" ~ columns | join(', ') ~ ") partitioned by (dt date) stored as parquet"
      ~ " location '" ~ lake_uri() ~ "/silver/" ~ table.name ~ "/'"
    ) -%}
  {%- endfor -%}
  {{ return(statements) }}
{% endmacro %}

{% macro spectrum_partition_ddl(dates) %}
  {#- Redshift adds at most 100 partitions per ALTER TABLE. -#}
  {%- set schema = spectrum_schema() -%}
  {%- set statements = [] -%}
  {%- for table in graph.sources.values() if table.source_name == 'silver' -%}
    {%- for batch in dates | batch(100) -%}
      {%- set partitions = [] -%}
      {%- for dt in batch -%}
        {%- do partitions.append(
          "partition (dt='" ~ dt ~ "') location '"
          ~ lake_uri() ~ "/silver/" ~ table.name ~ "/dt=" ~ dt ~ "/'"
        ) -%}
      {%- endfor -%}
      {%- do statements.append(
        "alter table " ~ schema ~ "." ~ table.name ~ " add if not exists " ~ partitions | join(' ')
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

{% macro add_spectrum_partitions(dates) %}
  {%- do run_outside_transaction(spectrum_partition_ddl(dates)) -%}
{% endmacro %}
