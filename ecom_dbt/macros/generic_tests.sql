{#
  Generic and singular-test helpers written here because dbt packages (dbt_utils) cannot be
  installed.
#}

{% test unique_combination_of_columns(model, combination_of_columns) %}
  select {{ combination_of_columns | join(', ') }}, count(*) as occurrences
  from {{ model }}
  group by {{ combination_of_columns | join(', ') }}
  having count(*) > 1
{% endtest %}

{% macro scd2_overlapping_versions(model, natural_key, surrogate_key) %}
  {#- Two versions of one key whose [valid_from, valid_to) ranges intersect. -#}
  select earlier.{{ natural_key }}, earlier.{{ surrogate_key }}, later.{{ surrogate_key }} as overlapping_key
  from {{ model }} as earlier
  join {{ model }} as later
    on later.{{ natural_key }} = earlier.{{ natural_key }}
   and later.{{ surrogate_key }} <> earlier.{{ surrogate_key }}
   and later.valid_from >= earlier.valid_from
  where earlier.{{ surrogate_key }} <> -1
    and (earlier.valid_to is null or later.valid_from < earlier.valid_to)
{% endmacro %}

{% macro scd2_current_row_count(model, natural_key) %}
  {#- Keys that do not have exactly one current version. -#}
  select {{ natural_key }}, sum(case when is_current then 1 else 0 end) as current_rows
  from {{ model }}
  group by {{ natural_key }}
  having sum(case when is_current then 1 else 0 end) <> 1
{% endmacro %}
