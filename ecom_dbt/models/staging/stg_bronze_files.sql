with source as (

    select * from {{ lake_source('bronze_files') }}

),

renamed as (

    select
        entity,
        cast(dt as date) as dt,
        source_file,
        status as file_status,
        reason,
        message,
        rows as rows_read,
        size_bytes,
        file_hash,
        extra_columns
    from source

)

select * from renamed
