with landing_files as (

    select * from {{ ref('dq_landing_files') }}

),

final as (

    select
        entity,
        dt,
        source_file,
        reason,
        message,
        size_bytes,
        file_hash
    from landing_files
    where
        file_status = 'quarantined'
        {% if is_incremental_run() %}
        and {{ in_window('dt') }}
        {% endif %}

)

select * from final
