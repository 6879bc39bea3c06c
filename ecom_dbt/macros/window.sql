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

{% macro window_var(name, default=none) %}
  {#-
    A window setting: `start_date`, `end_date`, `exclude_dates`. The gold asset passes them
    in the environment (ECOM_GOLD_WINDOW, JSON) rather than as --vars: dbt discards its
    partial parse whenever --vars change, and a full parse costs more than most partitions.
    The variable is read only at execution (never while parsing), so dbt does not tie any
    file to it either. Without it, --vars and the project defaults apply (plain `dbt build`).
  -#}
  {%- set from_environment = env_var('ECOM_GOLD_WINDOW', '') if execute else '' -%}
  {%- if from_environment | trim -%}
    {%- set window = fromjson(from_environment) -%}
    {%- if name in window -%}
      {{ return(window[name]) }}
    {%- endif -%}
  {%- endif -%}
  {{ return(var(name, default)) }}
{% endmacro %}

{#- `exclude_dates`: days of the window a quality gate rejected; gold leaves them out. -#}
{% macro in_window(column) -%}
  {{ column }} >= cast('{{ window_var("start_date") }}' as date)
  and {{ column }} < cast('{{ window_var("end_date") }}' as date)
  {%- for day in window_var("exclude_dates", []) %}
  and {{ column }} <> cast('{{ day }}' as date)
  {%- endfor %}
{%- endmacro %}

{% macro window_keys(model, key) -%}
  select distinct {{ key }} from {{ ref(model) }} where {{ in_window('source_dt') }}
{%- endmacro %}

{% macro changed_since(model, key, dimension) -%}
  {#-
    Keys with a new version in the window, and from which business time their facts can
    point at another version: the window's earliest updated_at, or the beginning of time
    when that is the key's first version (facts before a first version point at it). Facts
    earlier than that keep their version, so a new version does not reopen all history.
  -#}
  select
      window_versions.{{ key }},
      case
          when min(window_versions.updated_at) <= min(versions.valid_from)
              then cast('1900-01-01' as {{ dbt.type_timestamp() }})
          else min(window_versions.updated_at)
      end as changed_from
  from {{ ref(model) }} as window_versions
  inner join {{ ref(dimension) }} as versions
      on versions.{{ key }} = window_versions.{{ key }}
  where {{ in_window('window_versions.source_dt') }}
  group by window_versions.{{ key }}
{%- endmacro %}

{% macro waiting_for(relation, key, natural_key, changed) -%}
  {#-
    Gold rows on the unknown member whose parent the window brought (`changed`: the
    window's keys). Only such a row can now resolve: a parent arrives in the window of its
    own partition, processed before or after the row's, and that run re-resolves the row.
    For an SCD2 parent (customers, products) `changed_since` already covers it: a parent's
    first version reaches back to 1900. Campaigns have no versions in time and need this.
  -#}
  ({{ relation }}.{{ key }} = -1
      and {{ relation }}.{{ natural_key }} in (select arrived.{{ natural_key }} from {{ changed }} as arrived))
{%- endmacro %}

{% macro select_window(relation, columns) -%}
    {#- A fact's `window_rows`: the columns of the relation's rows in the window (all on a full build). -#}
    select
        {{ column_list(columns) }}
    from {{ relation }}
    {%- if is_incremental_run() %}
    where {{ in_window('source_dt') }}
    {%- endif %}
{%- endmacro %}

{% macro delete_window(column) %}
    {#-
      pre_hook of the append-only data-quality tables: a partition processed again replaces
      its rows, including rows that are gone (a record no longer quarantined after a rule
      fix), which delete+insert on the new rows' keys would keep.
    -#}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ in_window(column) }}
    {%- endif -%}
{% endmacro %}

{% macro delete_measure(measure) %}
    {#- pre_hook: rows of one measure that every run restates whole (a long-form table). -#}
    {%- if is_incremental() -%}
        delete from {{ this }} where measure = '{{ measure }}'
    {%- endif -%}
{% endmacro %}
