import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DoctorService } from '@storesync/analysis';
import { AppConfig, dataModelToFile } from '@storesync/config';

/** The data model in force, and the doctor that proposes one for a deployment storesync did not write. */
@ApiTags('data model')
@ApiBearerAuth()
@Controller('api')
export class DoctorController {
  constructor(
    private readonly doctor: DoctorService,
    private readonly config: AppConfig,
  ) {}

  @Get('data-model')
  @ApiOperation({ summary: 'The active data model (config file + environment overrides), as the config file spells it; read-only.' })
  dataModel() {
    return { source: this.config.dataModel.source, config: dataModelToFile(this.config.dataModel) };
  }

  @Get('doctor')
  @ApiOperation({
    summary:
      'Samples each store (a few hundred documents, keys, points), infers the mapping, proposes a config file and previews what an analysis with it would report, with warnings. Read-only.',
  })
  examine() {
    return this.doctor.examine();
  }
}
