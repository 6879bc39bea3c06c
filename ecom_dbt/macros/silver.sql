{#
  Silver entities as relations. On DuckDB the source renders as a read_parquet() over the lake
  glob; an entity that never had a partition has no file to glob, and read_parquet would fail,
  so it becomes an empty, typed select built from the column types declared on the source.
#}

{% macro silver_source(entity) %}
  {%- set relation = source('silver', entity) -%}
  {{ return(adapter.dispatch('silver_source', 'ecom_dbt')(entity, relation)) }}
{% endmacro %}

{% macro default__silver_source(entity, relation) %}
  {{ return(relation) }}
{% endmacro %}

{% macro duckdb__silver_source(entity, relation) %}
  {%- if execute and not silver_has_files(entity) -%}
    {{ return('(' ~ empty_silver_select(entity) ~ ')') }}
  {%- endif -%}
  {{ return(relation) }}
{% endmacro %}

{% macro silver_has_files(entity) %}
  {%- set pattern = lake_uri() ~ '/silver/' ~ entity ~ '/*/*.parquet' -%}
  {%- set found = run_query("select count(*) from glob('" ~ pattern ~ "')") -%}
  {{ return(found.columns[0].values()[0] > 0) }}
{% endmacro %}

{% macro empty_silver_select(entity) %}
  {%- set columns = graph.sources['source.ecom_dbt.silver.' ~ entity].columns.values() -%}
  select
    {%- for column in columns %}
    cast(null as {{ column.data_type }}) as {{ column.name }}{{ ',' if not loop.last }}
    {%- endfor %}
  where 1 = 0
{% endmacro %}
