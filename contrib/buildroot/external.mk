include $(sort $(wildcard $(BR2_EXTERNAL_GADGETD_PATH)/package/*/*.mk))
