with quarantine as (

    select * from {{ ref('stg_quarantine') }}

),

final as (

    select
        entity,
        dt,
        source_file,
        source_line,
        {{ reason_code_list('reason_codes', 'reason') }} as reason_codes,
        reason,
        raw_record
    from quarantine
    {% if is_incremental_run() %}
    where {{ in_window('dt') }}
    {% endif %}

)

select * from final
