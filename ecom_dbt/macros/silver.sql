{#
  Lake tables as relations: silver entities and the bookkeeping layers (quarantine, bronze
  file ledger, silver statistics). On DuckDB a source renders as a read_parquet() over the
  lake glob; a table that has no file yet has nothing to glob, and read_parquet would fail,
  so it becomes an empty, typed select built from the column types declared on the source.
#}

{% macro silver_source(entity) %}
    {{ return(lake_relation('silver', entity, '/silver/' ~ entity ~ '/*/*.parquet')) }}
{% endmacro %}

{% macro lake_source(layer) %}
    {#-
      <lake>/<layer>/<entity>/dt=YYYY-MM-DD/*.parquet: every entity's files in one table,
      described by source `lake` (columns, DuckDB location, Spectrum DDL) but not read with
      source(): Dagster maps each dbt source a model reads to an asset, and these layers have
      no asset of their own (bronze and silver write them beside their tables).
    -#}
    {%- if not execute -%}
        {{ return('(select 1)') }}
    {%- endif -%}
    {%- set table = graph.sources['source.ecom_dbt.lake.' ~ layer] -%}
    {%- set relation = adapter.dispatch('lake_table_relation', 'ecom_dbt')(table) -%}
    {{ return(lake_relation('lake', layer, '/' ~ layer ~ '/*/*/*.parquet', relation)) }}
{% endmacro %}

{% macro default__lake_table_relation(table) %}
    {{ return(api.Relation.create(database=target.database, schema=spectrum_schema(), identifier=table.name)) }}
{% endmacro %}

{% macro duckdb__lake_table_relation(table) %}
    {{ return(table.meta.external_location.replace('{name}', table.name)) }}
{% endmacro %}

{% macro lake_relation(source_name, table, pattern, relation=none) %}
    {%- set relation = relation if relation is not none else source(source_name, table) -%}
    {{ return(adapter.dispatch('lake_relation', 'ecom_dbt')(source_name, table, pattern, relation)) }}
{% endmacro %}

{% macro default__lake_relation(source_name, table, pattern, relation) %}
    {{ return(relation) }}
{% endmacro %}

{% macro duckdb__lake_relation(source_name, table, pattern, relation) %}
    {%- if execute and not lake_has_files(pattern) -%}
        {{ return('(' ~ empty_source_select(source_name, table) ~ ')') }}
    {%- endif -%}
    {{ return(relation) }}
{% endmacro %}

{% macro lake_has_files(pattern) %}
    {%- set found = run_query("select count(*) from glob('" ~ lake_uri() ~ pattern ~ "')") -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{% endmacro %}

{% macro empty_source_select(source_name, table) %}
    {%- set columns = graph.sources['source.ecom_dbt.' ~ source_name ~ '.' ~ table].columns.values() -%}
  select
    {%- for column in columns %}
    cast(null as {{ column.data_type }}) as {{ column.name }}{{ ',' if not loop.last }}
    {%- endfor %}
  where 1 = 0
{% endmacro %}
