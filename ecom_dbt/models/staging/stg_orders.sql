with source as (

    select * from {{ silver_source('orders') }}

),

renamed as (

    select
        order_id,
        customer_id,
        order_ts,
        status as order_status,
        channel,
        campaign_id,
        shipping_amount,
        updated_at,
        cast(dt as date) as source_dt,
        _source_file as source_file,
        _line_number as source_line,
        _ingested_at as ingested_at
    from source

)

select * from renamed
