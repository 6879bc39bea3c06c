with source as (

    select * from {{ silver_source('shipments') }}

),

renamed as (

    select
        shipment_id,
        order_id,
        carrier,
        status as shipment_status,
        shipped_ts,
        delivered_ts,
        updated_at,
        cast(dt as date) as source_dt,
        _source_file as source_file,
        _line_number as source_line,
        _ingested_at as ingested_at
    from source

)

select * from renamed
