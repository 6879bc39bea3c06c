{#
  The processing window [start_date, end_date) that Dagster passes from the partition time
  window. Incremental models read only silver partitions inside it, plus the gold rows whose
  parents it changed, so a partition's cost does not grow with history.
#}

{% macro is_incremental_run() %}
  {#- `render_incremental` renders the incremental branch offline (checked first: is_incremental()
      looks the table up in the warehouse). -#}
  {{ return(var('render_incremental') or is_incremental()) }}
{% endmacro %}

{% macro in_window(column) -%}
  {{ column }} >= cast('{{ var("start_date") }}' as date)
  and {{ column }} < cast('{{ var("end_date") }}' as date)
{%- endmacro %}

{% macro window_keys(model, key) -%}
  select distinct {{ key }} from {{ ref(model) }} where {{ in_window('source_dt') }}
{%- endmacro %}
