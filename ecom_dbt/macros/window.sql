{#
  The processing window [start_date, end_date) that Dagster passes from the partition time
  window. Incremental models read only silver partitions inside it, plus the gold rows whose
  parents it changed, so a partition's cost does not grow with history.
#}

{% macro is_incremental_run() %}
  {#- `render_incremental` lets an offline compile render the incremental branch too. -#}
  {{ return(is_incremental() or var('render_incremental')) }}
{% endmacro %}

{% macro in_window(column) -%}
  {{ column }} >= cast('{{ var("start_date") }}' as date)
  and {{ column }} < cast('{{ var("end_date") }}' as date)
{%- endmacro %}

{% macro window_keys(model, key) -%}
  select distinct {{ key }} from {{ ref(model) }} where {{ in_window('source_dt') }}
{%- endmacro %}
