{#
  A small dimension over a closed list of codes from the contract, plus the unknown member.
  rows: list of [code, name]. The key is the hashed code, so it never changes between builds.
#}

{% macro static_dimension(key_column, code_column, rows) -%}
  select
    cast(-1 as bigint) as {{ key_column }},
    cast('(unknown)' as {{ dbt.type_string() }}) as {{ code_column }},
    cast('(unknown)' as {{ dbt.type_string() }}) as {{ code_column }}_name
  {%- for code, name in rows %}
  union all
  select
    {{ surrogate_key(["'" ~ code ~ "'"]) }},
    '{{ code }}',
    '{{ name }}'
  {%- endfor %}
{%- endmacro %}
