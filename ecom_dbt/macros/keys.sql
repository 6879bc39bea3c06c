{#
  Deterministic surrogate keys: a 60-bit integer from md5 of the natural key and version, so
  gold is identical row for row whatever order partitions were processed in, and -1 stays
  free for the unknown member.
#}

{% macro surrogate_key(expressions) -%}
  {%- set parts = [] -%}
  {%- for expression in expressions -%}
    {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '')") -%}
  {%- endfor -%}
  {{ adapter.dispatch('hash_to_bigint', 'ecom_dbt')(parts | join(" || '|' || ")) }}
{%- endmacro %}

{% macro default__hash_to_bigint(text) -%}
  strtol(substring(md5({{ text }}), 1, 15), 16)
{%- endmacro %}

{% macro duckdb__hash_to_bigint(text) -%}
  cast('0x' || substr(md5({{ text }}), 1, 15) as bigint)
{%- endmacro %}

{% macro resolved_key(natural_key, dimension_key) -%}
  {#- An empty optional reference stays null; a reference nothing answers is the unknown -1. -#}
  case when {{ natural_key }} is null then null else coalesce({{ dimension_key }}, -1) end
{%- endmacro %}

{% macro valid_at(version, business_ts) -%}
  {#- The SCD2 version valid at business_ts; before a key's first version, that first one. -#}
  {{ version }}.version_number is not null
  and ({{ version }}.version_number = 1 or {{ business_ts }} >= {{ version }}.valid_from)
  and ({{ version }}.valid_to is null or {{ business_ts }} < {{ version }}.valid_to)
{%- endmacro %}

{% macro first_by(relation, partition_by, order_by) -%}
  {#- One row per partition_by: the first by order_by (a total order, so the pick is stable). -#}
  select *
  from (
    select
      *,
      row_number() over (partition by {{ partition_by }} order by {{ order_by }}) as row_rank
    from {{ relation }}
  ) as ranked
  where row_rank = 1
{%- endmacro %}
