{#
  Where silver lives, for macros. The silver source yml spells the same env_var defaults
  (yml cannot call project macros). dbt runs in this folder, so the default lake is the
  repo's data/lake.
#}

{% macro lake_uri() %}
  {{ return(env_var('ECOM_LAKE_URI', '../data/lake')) }}
{% endmacro %}

{% macro spectrum_schema() %}
  {{ return(env_var('ECOM_REDSHIFT_SPECTRUM_SCHEMA', 'silver')) }}
{% endmacro %}
