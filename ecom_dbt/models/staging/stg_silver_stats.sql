with source as (

    select * from {{ lake_source('silver_stats') }}

),

renamed as (

    select
        entity,
        cast(dt as date) as dt,
        measure,
        detail,
        rows as row_count
    from source

)

select * from renamed
