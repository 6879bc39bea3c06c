{# Calendar attributes that DuckDB and Redshift spell differently. #}

{% macro date_key(expression) -%}
  cast(
    extract(year from {{ expression }}) * 10000
    + extract(month from {{ expression }}) * 100
    + extract(day from {{ expression }})
  as integer)
{%- endmacro %}

{% macro iso_day_of_week(expression) -%}
  {{ adapter.dispatch('iso_day_of_week', 'ecom_dbt')(expression) }}
{%- endmacro %}

{% macro default__iso_day_of_week(expression) -%}
  cast(case when date_part(dow, {{ expression }}) = 0 then 7 else date_part(dow, {{ expression }}) end as integer)
{%- endmacro %}

{% macro duckdb__iso_day_of_week(expression) -%}
  cast(isodow({{ expression }}) as integer)
{%- endmacro %}

{% macro iso_week(expression) -%}
  {{ adapter.dispatch('iso_week', 'ecom_dbt')(expression) }}
{%- endmacro %}

{% macro default__iso_week(expression) -%}
  cast(date_part(week, {{ expression }}) as integer)
{%- endmacro %}

{% macro duckdb__iso_week(expression) -%}
  cast(weekofyear({{ expression }}) as integer)
{%- endmacro %}

{% macro day_name(expression) -%}
  {{ adapter.dispatch('day_name', 'ecom_dbt')(expression) }}
{%- endmacro %}

{% macro default__day_name(expression) -%}
  trim(to_char({{ expression }}, 'Day'))
{%- endmacro %}

{% macro duckdb__day_name(expression) -%}
  dayname({{ expression }})
{%- endmacro %}

{% macro month_name(expression) -%}
  {{ adapter.dispatch('month_name', 'ecom_dbt')(expression) }}
{%- endmacro %}

{% macro default__month_name(expression) -%}
  trim(to_char({{ expression }}, 'Month'))
{%- endmacro %}

{% macro duckdb__month_name(expression) -%}
  monthname({{ expression }})
{%- endmacro %}

{% macro year_month(expression) -%}
  {{ adapter.dispatch('year_month', 'ecom_dbt')(expression) }}
{%- endmacro %}

{% macro default__year_month(expression) -%}
  to_char({{ expression }}, 'YYYY-MM')
{%- endmacro %}

{% macro duckdb__year_month(expression) -%}
  strftime({{ expression }}, '%Y-%m')
{%- endmacro %}
