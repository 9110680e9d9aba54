import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AutoRepairService } from '@storesync/auto-repair';

@ApiTags('repair')
@ApiBearerAuth()
@Controller('api/auto-repair')
export class AutoRepairController {
  constructor(private readonly autoRepair: AutoRepairService) {}

  @Get()
  @ApiOperation({ summary: 'The automatic-repair policy (AUTO_REPAIR_*), its queue, totals and recent batches' })
  status() {
    return this.autoRepair.status();
  }
}
