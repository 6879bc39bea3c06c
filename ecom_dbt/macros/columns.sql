{#
  A model's column list written once as a Jinja list and spelled wherever a select repeats
  it (the window's rows, the gold rows competing with them, the final pick).
#}

{% macro column_list(columns, relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- for column in columns -%}
        {{ prefix ~ column }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
