with ledger as (

    select * from {{ ref('stg_bronze_files') }}

),

final as (

    select
        entity,
        dt,
        source_file,
        file_status,
        reason,
        message,
        rows_read,
        size_bytes,
        file_hash,
        extra_columns
    from ledger
    {% if is_incremental_run() %}
    where {{ in_window('dt') }}
    {% endif %}

)

select * from final
