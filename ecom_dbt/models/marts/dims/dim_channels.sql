-- Sales channels of an order (contract enum), keyed by the hashed code.
{{ static_dimension('channel_key', 'channel', [
    ['web', 'Web shop'],
    ['mobile_app', 'Mobile app'],
    ['marketplace', 'Marketplace'],
]) }}
