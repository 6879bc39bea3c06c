with source as (

    select * from {{ lake_source('quarantine') }}

),

renamed as (

    select
        entity,
        cast(dt as date) as dt,
        source_file,
        line_number as source_line,
        reason_codes,
        reason,
        raw_record
    from source

)

select * from renamed
