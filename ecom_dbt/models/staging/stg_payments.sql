with source as (

    select * from {{ silver_source('payments') }}

),

renamed as (

    select
        payment_id,
        order_id,
        payment_ts,
        method as payment_method,
        amount,
        status as payment_status,
        updated_at,
        cast(dt as date) as source_dt,
        _source_file as source_file,
        _line_number as source_line,
        _ingested_at as ingested_at
    from source

)

select * from renamed
