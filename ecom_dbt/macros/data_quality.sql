{#
  Helpers of the data-quality models (models/marts/data_quality/).
#}

{% macro reason_code_list(codes_column, reason_column) -%}
    {{ return(adapter.dispatch('reason_code_list', 'ecom_dbt')(codes_column, reason_column)) }}
{%- endmacro %}

{% macro duckdb__reason_code_list(codes_column, reason_column) -%}
    {{ codes_column }}
{%- endmacro %}

{% macro default__reason_code_list(codes_column, reason_column) -%}
    {#- Redshift keeps no Spectrum array in a local table: the codes as text, joined by ';'. -#}
    {{ reason_column }}
{%- endmacro %}

{% macro natural_id(expressions) -%}
    {#- A fact's natural key as one text, parts joined by '|' (as in the surrogate keys). -#}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("cast(" ~ expression ~ " as " ~ dbt.type_string() ~ ")") -%}
    {%- endfor -%}
    {{ parts | join(" || '|' || ") }}
{%- endmacro %}

{% macro orphan_rows(fact, entity, key, business_ts, reference, parent, condition) -%}
    {#- The fact's rows pointing at the unknown member for one reference to a parent. -#}
    select
        '{{ fact }}' as fact_table,
        '{{ entity }}' as entity,
        {{ natural_id(key) }} as fact_id,
        '{{ reference }}' as reference,
        '{{ parent }}' as parent_entity,
        {{ reference }} as missing_id,
        coalesce(cast({{ business_ts }} as date), source_dt) as fact_date,
        source_dt,
        source_file,
        source_line
    from {{ ref(fact) }}
    where {{ condition }}
{%- endmacro %}
