{#
  SCD type 2 from a staging model of CDC versions: one row per distinct (key, updated_at),
  however many partitions delivered it, valid from its updated_at until the next version's.

  Incremental (delete+insert on the natural key): a run re-ranks only the keys with a version
  in the window, from the window's silver rows and the versions already held for those keys
  (minus those whose copy came from a window partition: the window's silver restates them).
  Each version keeps the partition, file and line of the copy it was taken from (the earliest
  partition's), so a copy arriving in any order picks the same one a full build picks, and
  late or out-of-order versions land in their place in history.
#}

{% macro scd2_versions(staging_model, natural_key, surrogate_key_column, attributes, derived={}) %}
    {#- attributes: columns copied from the version; derived: {name: expression} after them. -#}
    {%- set version_columns = [natural_key, 'updated_at'] + attributes
        + ['source_dt', 'source_file', 'source_line'] %}
    with staged as (

        select * from {{ ref(staging_model) }}

    ),

    window_rows as (

        select
            {{ column_list(version_columns) }}
        from staged
        {%- if is_incremental_run() %}
        where {{ in_window('source_dt') }}
        {%- endif %}

    ),

    candidates as (

        select * from window_rows
        {%- if is_incremental_run() %}
        union all
        -- The versions held so far of the keys the window touches, except those taken from a
        -- window partition (restated by window_rows, or gone from it).
        select
            {{ column_list(version_columns) }}
        from {{ this }}
        where
            {{ natural_key }} in (select {{ natural_key }} from window_rows)
            and not ({{ in_window('source_dt') }})
        {%- endif %}

    ),

    versions as (

        -- One version per (key, updated_at), whichever partitions repeated it.
        {{ first_by('candidates', natural_key ~ ', updated_at', 'source_dt, source_file, source_line') }}

    ),

    ranged as (

        select
            {{ surrogate_key([natural_key, 'updated_at']) }} as {{ surrogate_key_column }},
            {{ natural_key }},
            {%- for column in attributes %}
            {{ column }},
            {%- endfor %}
            {%- for name, expression in derived.items() %}
            {{ expression }} as {{ name }},
            {%- endfor %}
            updated_at as valid_from,
            lead(updated_at) over (partition by {{ natural_key }} order by updated_at) as valid_to,
            row_number() over (partition by {{ natural_key }} order by updated_at) as version_number,
            updated_at,
            source_dt,
            source_file,
            source_line
        from versions

    ),

    final as (

        select
            *,
            case when valid_to is null then true else false end as is_current
        from ranged

    )

    select * from final
{% endmacro %}

{% macro scd2_overlapping_versions(model, natural_key, surrogate_key) %}
    {#- Singular-test helper: two versions of one key whose [valid_from, valid_to) intersect. -#}
    select
        earlier.{{ natural_key }},
        earlier.{{ surrogate_key }},
        later.{{ surrogate_key }} as overlapping_key
    from {{ model }} as earlier
    inner join {{ model }} as later
        on
            later.{{ natural_key }} = earlier.{{ natural_key }}
            and later.{{ surrogate_key }} <> earlier.{{ surrogate_key }}
            and later.valid_from >= earlier.valid_from
    where
        earlier.{{ surrogate_key }} <> -1
        and (earlier.valid_to is null or later.valid_from < earlier.valid_to)
{% endmacro %}

{% macro scd2_current_row_count(model, natural_key) %}
    {#- Singular-test helper: keys that do not have exactly one current version. -#}
    select
        {{ natural_key }},
        sum(case when is_current then 1 else 0 end) as current_rows
    from {{ model }}
    group by {{ natural_key }}
    having sum(case when is_current then 1 else 0 end) <> 1
{% endmacro %}
