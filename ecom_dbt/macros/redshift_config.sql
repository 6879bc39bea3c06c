{#
  Physical design for Redshift only: distribution and sort keys on the fact tables, and
  `backup no` for tables that can be rebuilt from silver. DuckDB gets no extra config.
#}

{% macro redshift_table(dist=none, sort=none, backup=true) %}
  {%- if target.type != 'redshift' -%}
    {{ return({}) }}
  {%- endif -%}
  {%- set settings = {} -%}
  {%- if dist is not none -%}{%- do settings.update({'dist': dist}) -%}{%- endif -%}
  {%- if sort is not none -%}{%- do settings.update({'sort': sort}) -%}{%- endif -%}
  {%- if not backup -%}{%- do settings.update({'backup': false}) -%}{%- endif -%}
  {{ return(settings) }}
{% endmacro %}
