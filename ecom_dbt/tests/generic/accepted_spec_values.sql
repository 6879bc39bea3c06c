{#
  Values outside the enum of an entity spec column (`entity_enum`, rendered from
  ecom_platform/lib/entities.py by `make codegen`), plus `extra` (the unknown member's
  '(unknown)'). The list is not restated here, so widening an enum in the spec and running
  `make codegen` is the whole change. Nulls pass, as with dbt's accepted_values.
#}

{% test accepted_spec_values(model, column_name, entity, spec_column, extra=[]) %}
    select {{ column_name }} as unexpected_value
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ column_name }} not in ('{{ (entity_enum(entity, spec_column) + extra) | join("', '") }}')
{% endtest %}
